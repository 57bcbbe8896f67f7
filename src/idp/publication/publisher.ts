import type { Logger } from '../../shared/logger.js'
import type { IdentityProvider } from '../types.js'
import { issuerDocuments } from './documents.js'
import type { PublicationTarget } from './targets.js'

/**
 * Keeps a static copy of the issuer (`keyless server --publish-issuer`, docs/operations.md) up to
 * date: the documents are computed every `intervalMs` and written when they changed (a key
 * rotated in by any process, a key retired). It is also the signing gate: a key signs only once
 * a publication holding it succeeded, so no token names a key AWS cannot fetch.
 */
export class IssuerPublisher {
  readonly #idp: IdentityProvider
  readonly #target: PublicationTarget
  readonly #logger: Logger
  readonly #intervalMs: number
  #published = ''
  #kids = new Set<string>()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<boolean> | undefined

  constructor(options: {
    idp: IdentityProvider
    target: PublicationTarget
    logger: Logger
    intervalMs?: number
  }) {
    this.#idp = options.idp
    this.#target = options.target
    this.#logger = options.logger
    this.#intervalMs = options.intervalMs ?? 1000
  }

  get target(): string {
    return this.#target.name
  }

  /** May the key sign? Only once the static copy holds it. */
  allows(kid: string): boolean {
    return this.#kids.has(kid)
  }

  /** Writes the documents when they changed; true when something was written. */
  publishNow(): Promise<boolean> {
    this.#running ??= this.#publish().finally(() => (this.#running = undefined))
    return this.#running
  }

  start(): void {
    this.#timer = setInterval(() => {
      this.publishNow().catch((error: unknown) =>
        this.#logger.error(
          { err: error instanceof Error ? error.message : String(error), target: this.target },
          'publishing the issuer failed; a new key will not sign until it succeeds',
        ),
      )
    }, this.#intervalMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running?.catch(() => undefined)
  }

  async #publish(): Promise<boolean> {
    const jwks = await this.#idp.jwks()
    const documents = issuerDocuments(this.#idp.discovery(), jwks)
    const content = JSON.stringify(documents)
    if (content === this.#published) return false
    await this.#target.write(documents)
    this.#published = content
    this.#kids = new Set(jwks.keys.flatMap((k) => (typeof k.kid === 'string' ? [k.kid] : [])))
    this.#logger.info({ target: this.target, kids: [...this.#kids] }, 'issuer published')
    return true
  }
}
