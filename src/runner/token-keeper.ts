import { rename, rm, writeFile } from 'node:fs/promises'
import type { Clock } from '../shared/clock.js'
import type { SecretSet } from './mask.js'
import { isTransientControlPlaneError, retryTransient } from './retry.js'
import type { IssuedToken } from './types.js'

/**
 * Keeps a deployment's OIDC token fresh in a file (0600), so that user code can use it like
 * `AWS_WEB_IDENTITY_TOKEN_FILE` for the whole deployment: the token is re-minted when less than
 * a third of its lifetime is left. Every token is added to the deployment's secrets.
 */
export class TokenKeeper {
  readonly #mint: () => Promise<IssuedToken>
  readonly #file: string
  readonly #clock: Clock
  readonly #secrets: SecretSet
  readonly #system: (text: string) => void
  #current: { token: string; issuedAt: number; expiresAt: number } | undefined
  #timer: NodeJS.Timeout | undefined
  #minting: Promise<IssuedToken> | undefined

  constructor(options: {
    mintToken: () => Promise<IssuedToken>
    file: string
    clock: Clock
    secrets: SecretSet
    system: (text: string) => void
  }) {
    this.#mint = options.mintToken
    this.#file = options.file
    this.#clock = options.clock
    this.#secrets = options.secrets
    this.#system = options.system
  }

  get token(): string | undefined {
    return this.#current?.token
  }

  get file(): string {
    return this.#file
  }

  /** Mints a token now and writes it to the file. Errors are the control plane's. */
  async mint(): Promise<IssuedToken> {
    this.#minting ??= this.#mintOnce().finally(() => {
      this.#minting = undefined
    })
    return this.#minting
  }

  async #mintOnce(): Promise<IssuedToken> {
    const issued = await retryTransient(() => this.#mint(), isTransientControlPlaneError)
    this.#secrets.add(issued.token)
    const now = this.#clock.now().getTime()
    const expiresAt = Date.parse(issued.expiresAt)
    this.#current = {
      token: issued.token,
      issuedAt: now,
      expiresAt: Number.isNaN(expiresAt) ? now + 600_000 : expiresAt,
    }
    const tmp = `${this.#file}.tmp`
    await writeFile(tmp, issued.token, { mode: 0o600 })
    await rename(tmp, this.#file)
    return issued
  }

  /** True when less than a third of the current token's lifetime is left. */
  due(): boolean {
    const c = this.#current
    if (c === undefined) return false
    const left = c.expiresAt - this.#clock.now().getTime()
    return left < (c.expiresAt - c.issuedAt) / 3
  }

  /** Re-mints when due. Never throws: a failure is logged and retried at the next check. */
  async check(): Promise<void> {
    if (!this.due()) return
    try {
      await this.mint()
    } catch (error) {
      this.#system(
        `could not renew the OIDC token file: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  start(checkEveryMs = 15_000): void {
    this.#timer = setInterval(() => void this.check(), checkEveryMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    await this.#minting?.catch(() => undefined)
    await rm(this.#file, { force: true })
  }
}
