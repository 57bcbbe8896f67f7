/**
 * A REST client of a cluster as a client behind a load balancer sees it: each call goes to the
 * next replica; a connection error or a 5xx answer is written down and the call is retried on the
 * next replica (creates carry an Idempotency-Key, so a retry never creates twice). 4xx answers are
 * not retried.
 */
import { randomUUID } from 'node:crypto'
import type { Json } from '../../e2e/support/stack.js'
import type { Cluster } from './cluster.js'

export interface ClientFault {
  /** When the failed attempt was sent, and when it failed (ms since the epoch). */
  readonly at: number
  readonly failedAt: number
  readonly replica: number
  readonly request: string
  /** `503 database_unavailable`, `connection: fetch failed`, … */
  readonly error: string
}

export interface ResilientClient {
  /** Every failed attempt, in order; each was retried until the call succeeded or gave up. */
  readonly faults: ClientFault[]
  call<T = Json>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<T>
}

export interface CallOptions {
  /** The answer is a secret (a new key or token): no Idempotency-Key (the server refuses one). */
  readonly secretAnswer?: boolean
}

const RETRY_FOR_MS = 60_000

function errorCode(text: string): string {
  try {
    const parsed: Json = JSON.parse(text)
    return String(parsed?.error?.code ?? text)
  } catch {
    return text.slice(0, 200)
  }
}

export function resilientClient(cluster: Cluster): ResilientClient {
  const faults: ClientFault[] = []
  let next = 0
  async function call<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${cluster.adminKey}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (method === 'POST' && options.secretAnswer !== true)
      headers['idempotency-key'] = randomUUID()
    const deadline = Date.now() + RETRY_FOR_MS
    for (;;) {
      const replica = next++ % cluster.replicas.length
      const at = Date.now()
      const request = `${method} ${path}`
      let error: string
      try {
        const res = await fetch(`${cluster.replicas[replica]!.url}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        const text = await res.text()
        if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T
        if (res.status < 500) throw new Error(`${request} → ${res.status}: ${text}`)
        error = `${res.status} ${errorCode(text)}`
      } catch (thrown) {
        if (thrown instanceof Error && thrown.message.startsWith(request)) throw thrown
        error = `connection: ${thrown instanceof Error ? thrown.message : String(thrown)}`
      }
      faults.push({ at, failedAt: Date.now(), replica, request, error })
      if (Date.now() > deadline) throw new Error(`${request} kept failing: ${error}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return { faults, call }
}
