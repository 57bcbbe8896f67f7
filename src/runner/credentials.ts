import { systemClock, type Clock } from '../shared/clock.js'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { isKeylessError } from '../shared/errors.js'
import { emulatorDecision } from './emulator-explain.js'
import { describeExchangeFailure } from './failure.js'
import { RunFailure } from './failure-error.js'
import type { SecretSet } from './mask.js'
import { isTransientExchangeError, retryTransient } from './retry.js'
import { assumeRoleWithWebIdentity, endpointOf, ExchangeError } from './sts.js'
import type { TokenKeeper } from './token-keeper.js'
import type { AwsCredentials, IssuedToken } from './types.js'
import type { HandedOutCredentials } from './credential-endpoint.js'

type Credential = NonNullable<AgentDeployment['credential']>

/**
 * Holds a deployment's token and AWS credentials: mints the token through the control plane,
 * exchanges it at STS, and — in refresh mode — re-mints and re-assumes before the session ends.
 * Every token and key it ever holds is added to the deployment's secrets, so the log masks it.
 */
export interface CredentialBrokerOptions {
  readonly deployment: AgentDeployment
  readonly credential: Credential
  readonly clock: Clock
  readonly secrets: SecretSet
  /** Mints tokens and keeps the token file current. */
  readonly tokens: TokenKeeper
  readonly system: (text: string) => void
  readonly refreshBeforeSeconds?: number
  readonly handoutSeconds?: number
}

export interface Phases {
  tokenMintMs: number
  stsExchangeMs: number
}

export class CredentialBroker {
  readonly #o: CredentialBrokerOptions
  #credentials: AwsCredentials | undefined
  #refreshing: Promise<AwsCredentials> | undefined
  #timer: NodeJS.Timeout | undefined
  /** Number of successful exchanges (1 + refreshes). */
  exchanges = 0

  constructor(options: CredentialBrokerOptions) {
    this.#o = options
  }

  get token(): string | undefined {
    return this.#o.tokens.token
  }

  get credentials(): AwsCredentials | undefined {
    return this.#credentials
  }

  /** Seconds before expiry at which refresh mode re-assumes. */
  get refreshBeforeSeconds(): number {
    return (
      this.#o.refreshBeforeSeconds ??
      Math.min(600, Math.floor(this.#o.credential.durationSeconds / 3))
    )
  }

  /** Mints a token through the control plane; a refusal becomes an actionable RunFailure. */
  async mint(): Promise<IssuedToken> {
    return mintOrFail(this.#o.tokens)
  }

  /** Mint + exchange. Throws RunFailure with the actionable message of issue 5 point 4. */
  async obtain(phases?: Phases): Promise<AwsCredentials> {
    const t0 = performance.now()
    const token = await this.mint()
    const t1 = performance.now()
    const c = this.#o.credential
    let credentials: AwsCredentials
    try {
      credentials = await retryTransient(
        () =>
          assumeRoleWithWebIdentity({
            roleArn: c.roleArn,
            sessionName: this.#o.deployment.id,
            durationSeconds: c.durationSeconds,
            region: c.region,
            stsEndpoint: c.stsEndpoint,
            token: token.token,
          }),
        isTransientExchangeError,
      )
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error
      const decision =
        c.stsEndpoint === null
          ? undefined
          : await emulatorDecision(c.stsEndpoint, c.roleArn, error.awsCode)
      throw new RunFailure(
        describeExchangeFailure({
          awsCode: error.awsCode,
          awsMessage: error.awsMessage,
          roleArn: c.roleArn,
          roleSource: c.roleSource,
          durationSeconds: c.durationSeconds,
          endpoint: endpointOf(c.region, c.stsEndpoint),
          token: token.token,
          sessionTags: c.sessionTags,
          ...(decision === undefined ? {} : { emulatorExplanation: decision.lines }),
          ...(decision?.reason === undefined ? {} : { emulatorReason: decision.reason }),
        }),
      )
    }
    const t2 = performance.now()
    if (phases !== undefined) {
      phases.tokenMintMs = t1 - t0
      phases.stsExchangeMs = t2 - t1
    }
    this.#o.secrets.add(credentials.accessKeyId)
    this.#o.secrets.add(credentials.secretAccessKey)
    this.#o.secrets.add(credentials.sessionToken)
    this.#credentials = credentials
    this.exchanges += 1
    return credentials
  }

  /** Seconds left on the current session, by the runner's clock. */
  remainingSeconds(): number {
    if (this.#credentials === undefined) return 0
    return (this.#credentials.expiration.getTime() - this.#o.clock.now().getTime()) / 1000
  }

  /** Current credentials, re-assumed first when the session is about to end. */
  async fresh(): Promise<AwsCredentials> {
    const current = this.#credentials
    if (current !== undefined && this.remainingSeconds() > this.refreshBeforeSeconds) return current
    this.#refreshing ??= this.obtain()
      .then((c) => {
        this.#o.system(
          `refreshed AWS credentials for ${c.assumedRoleArn} (new session until ${c.expiration.toISOString()})`,
        )
        return c
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        this.#o.system(`could not refresh AWS credentials: ${message}`)
        // Keep handing out the old session while it lasts; refuse once it ended.
        if (current !== undefined && this.remainingSeconds() > 0) return current
        throw error
      })
      .finally(() => {
        this.#refreshing = undefined
      })
    return this.#refreshing
  }

  /** What the credential endpoint hands to steps: expiration in the host's clock, maybe capped. */
  async handout(): Promise<HandedOutCredentials> {
    const c = await this.fresh()
    let remainingMs = c.expiration.getTime() - this.#o.clock.now().getTime()
    if (this.#o.handoutSeconds !== undefined)
      remainingMs = Math.min(remainingMs, this.#o.handoutSeconds * 1000)
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(systemClock.now().getTime() + remainingMs),
      roleArn: c.assumedRoleArn,
    }
  }

  /** Refresh mode: keep the session (and the token file) fresh even when no step asks. */
  startBackgroundRefresh(checkEveryMs = 15_000): void {
    this.#timer = setInterval(() => {
      if (this.remainingSeconds() <= this.refreshBeforeSeconds) this.fresh().catch(() => undefined)
    }, checkEveryMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
  }
}

/** Mints through the keeper; turns a refusal (minting stopped, lease lost…) into a RunFailure. */
export async function mintOrFail(tokens: TokenKeeper): Promise<IssuedToken> {
  try {
    return await tokens.mint()
  } catch (error) {
    const code = isKeylessError(error) ? error.code : 'token_mint_failed'
    const why = error instanceof Error ? error.message : String(error)
    throw new RunFailure({
      code,
      message:
        code === 'minting_stopped'
          ? `keyless refused to mint this deployment's token: the organization has stopped all token minting (incident switch). ${why}`
          : `keyless could not mint this deployment's token: ${why}`,
    })
  }
}
