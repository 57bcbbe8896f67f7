import type { AgentDeployment } from '../../shared/contracts/agent-api.js'
import type { Cloud, RunPhase } from '../../shared/contracts/common.js'
import type { Clock } from '../../shared/clock.js'
import type { SecretSet } from '../mask.js'
import type { IssuedToken } from '../types.js'

/** What a cloud's session needs from the runner (src/runner/clouds/index.ts). */
export interface CloudContext {
  readonly deployment: AgentDeployment
  readonly phase: RunPhase
  readonly workDir: string
  readonly clock: Clock
  readonly secrets: SecretSet
  readonly system: (text: string) => void
  readonly mintToken: (runPhase: RunPhase, cloud: Cloud) => Promise<IssuedToken>
  /**
   * Extra CAs (the agent's `--cloud-ca-file`): their PEM text, and a bundle file of the system's
   * roots plus them for the steps (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE).
   */
  readonly extraCa?: { readonly pem: string; readonly bundleFile: string } | undefined
}

/** One cloud's part of a phase: the variables its steps get, and how to end it. */
export interface CloudSession {
  readonly cloud: Cloud
  readonly env: Readonly<Record<string, string>>
  /** Milliseconds of the runner's own exchange (benchmarks read it). */
  readonly exchangeMs: number
  stop(): Promise<void>
}
