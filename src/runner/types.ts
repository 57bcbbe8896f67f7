import type { Clock } from '../shared/clock.js'
import type { AgentDeployment, LogLine, StatusRequest } from '../shared/contracts/agent-api.js'
import type { Logger } from '../shared/logger.js'
import type { PlanSummary } from '../shared/contracts/plan.js'
import type { Cloud, RunPhase } from '../shared/contracts/common.js'

/** A deployment token as the control plane hands it out. */
export interface IssuedToken {
  readonly token: string
  readonly expiresAt: string
}

/** Temporary AWS credentials from AssumeRoleWithWebIdentity. */
export interface AwsCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** When AWS says they expire (AWS's clock). */
  readonly expiration: Date
  readonly assumedRoleArn: string
}

/** One step's progress, reported to the control plane as it happens. */
export type StepReport = NonNullable<StatusRequest['step']>

/** How a deployment ended. `failure` is what a person needs to act on it. */
export interface RunResult {
  readonly status: 'succeeded' | 'failed' | 'cancelled'
  readonly message?: string
  readonly failure?: NonNullable<StatusRequest['failure']>
  readonly assumedRoleArn?: string
  readonly timings: RunTimings
}

/** Milliseconds spent in each phase (benchmarks read them). */
export interface RunTimings {
  /** Preparing the template directory (copy or git clone). */
  workspaceMs?: number
  /** Asking the control plane for the deployment's token. */
  tokenMintMs?: number
  /** AssumeRoleWithWebIdentity. */
  stsExchangeMs?: number
  /** The runner's own exchanges at the other clouds (Entra, Google STS), together. */
  cloudExchangeMs?: number
  /** From spawning the first step to its process running. */
  processStartMs?: number
  /** Wall-clock time (runner's clock) when the first step's process was running. */
  firstStepStartedAt?: number
  /** Wall-clock time when the last step ended. */
  lastStepEndedAt?: number
}

/** What the runner needs from its host (the agent, or a test). */
export interface RunnerDeps {
  readonly clock: Clock
  readonly logger: Logger
  /**
   * Mints the deployment's OIDC token for a cloud (agent API
   * `POST /agent/v1/deployments/{id}/oidc-token`); each cloud's token has its own audience.
   */
  readonly mintToken: (runPhase?: RunPhase, cloud?: Cloud) => Promise<IssuedToken>
  /** Receives every log line, already masked. */
  readonly log: (line: LogLine) => void
  /** Receives step progress. */
  readonly reportStep: (step: StepReport) => void
  /** Receives the plan summary of a Terraform/OpenTofu plan (docs/state.md). */
  readonly reportPlan?: (plan: PlanSummary) => void
  /**
   * Reports `awaiting_approval` and waits for the decision: true once approved, false when the
   * deployment was rejected or cancelled (the runner then stops without applying).
   */
  readonly awaitApproval?: () => Promise<boolean>
  /** Called once AWS credentials were obtained (the assumed-role ARN is not a secret). */
  readonly onCredentials?: (assumedRoleArn: string) => void
  /**
   * Awaited before the first step starts: true when steps may start, false when they may not (the
   * run then ends cancelled, no step run). The runner prepares the workspace and opens the first
   * run phase's sessions (token, credentials) meanwhile. Without it, steps start when ready.
   */
  readonly stepsMayStart?: () => Promise<boolean>
}

export interface RunnerOptions {
  /** Directory this deployment may use (created; the runner does not delete it). */
  readonly workDir: string
  /** The control plane's URL as the agent reaches it: the state backend lives there. */
  readonly serverUrl?: string
  /**
   * When `serverUrl` is the agent's loopback relay to several replicas (src/agent/state-forwarder.ts):
   * the replicas behind it, for the deployment log.
   */
  readonly stateReplicas?: readonly string[]
  /** The environment steps start from; only an allowlist of it is passed on (see env.ts). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>
  /** Seconds between SIGTERM and SIGKILL on cancel. */
  readonly cancelGraceSeconds: number
  /** Aborting it cancels the deployment. */
  readonly signal?: AbortSignal
  /**
   * Refresh mode only: the longest lifetime the credential endpoint reports to steps, in
   * seconds. Default: the real remaining lifetime. Tests set it low so the AWS SDK in a step asks
   * again before every call (the SDK refreshes within 5 minutes of the reported expiration).
   */
  readonly refreshHandoutSeconds?: number
  /**
   * PEM file of extra CAs trusted for the Azure and GCP exchanges (an emulator's or a private
   * authority's) and handed to the steps as a bundle when the authority is not the cloud's own.
   */
  readonly cloudCaFile?: string
  /** Refresh mode: re-assume when fewer than this many seconds remain (default: a third of the duration, at most 10 minutes). */
  readonly refreshBeforeSeconds?: number
}

export type { AgentDeployment }
