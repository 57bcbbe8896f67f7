import { isKeylessError } from '../shared/errors.js'

/**
 * The control-plane replicas an agent may talk to (`keyless agent --server a,b`), in order, and
 * the one it uses now. A call that found the replica gone (no answer at all, or 503: it is
 * draining or lost its database) moves the agent on to the next one, round robin; the caller's
 * own retry (claim loop, lease keeper, outbox, token mint), with its bounded backoff, then goes
 * there. Calls in flight at once that fail on the same replica move the agent once, not once
 * each.
 */
export class Replicas {
  readonly urls: readonly string[]
  #current = 0

  constructor(urls: readonly string[]) {
    if (urls.length === 0) throw new Error('at least one control-plane URL is needed')
    this.urls = urls
  }

  /** The index of the replica calls go to now. */
  get current(): number {
    return this.#current
  }

  /**
   * After a call to replica `used` failed with `error`: the index of the replica the agent moved
   * to, or undefined when it stays (one replica only, an answer that is not about the replica, or
   * another call already moved it).
   */
  failed(used: number, error: unknown): number | undefined {
    if (this.urls.length < 2 || used !== this.#current || !isReplicaGone(error)) return undefined
    this.#current = (used + 1) % this.urls.length
    return this.#current
  }
}

/** No answer (`upstream_unreachable` without an HTTP status), or a 503 from the replica. */
export function isReplicaGone(error: unknown): boolean {
  if (!isKeylessError(error)) return false
  const details: unknown = error.details
  const status =
    typeof details === 'object' && details !== null && 'httpStatus' in details
      ? details.httpStatus
      : undefined
  if (status === undefined) return error.code === 'upstream_unreachable'
  return status === 503
}

/** A URL as it may be logged: no user name, password, query or fragment. */
export function loggableUrl(url: string): string {
  const u = new URL(url)
  return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`
}
