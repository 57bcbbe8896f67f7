/**
 * `keyless explain` for each cloud: an explainer reads what its cloud's token exchange needs (a
 * trust policy, a live role, federated credentials, …), runs that cloud's chain from
 * src/federation/<cloud>/ offline, and answers with the decision and the lines to print. The
 * emulator runs the same chain online, so explain and the emulator cannot disagree.
 */
import type { CommandIo } from '../io.js'

export const EXPLAIN_CLOUDS = ['aws', 'azure', 'gcp'] as const
export type ExplainCloud = (typeof EXPLAIN_CLOUDS)[number]

/** What every cloud's explanation carries; each adds its own details (printed by `--format json`). */
export interface CloudExplanation {
  readonly decision: 'allowed' | 'denied'
  /** The text rendering, one line each. */
  readonly lines: readonly string[]
}

/** The options of `keyless explain` as given; each cloud reads the ones it needs. */
export interface ExplainOptions {
  /** The token: a JWT, `@file`, or `-` for standard input. */
  readonly token: string
  readonly trustPolicy?: string
  readonly roleArn?: string
  readonly endpointUrl?: string
  readonly duration?: string
  readonly maxSessionDuration?: string
  readonly roleSessionName?: string
  /** azure: evaluate the token as if its `aud` were this. */
  readonly audience?: string
  /** azure: the application's federated credentials (Graph JSON), or - for standard input. */
  readonly ficFile?: string
  /** azure: the application; with `endpointUrl` its credentials are read through Graph. */
  readonly clientId?: string
  readonly scope?: string
  /** azure: bearer token of the Graph call, and a CA (PEM file) to trust (the Entra emulator's). */
  readonly adminToken?: string
  readonly caFile?: string
  /** gcp: the provider (IAM v1 JSON), or - for standard input. */
  readonly providerFile?: string
  /** gcp: the provider's name; with `endpointUrl` it is read through IAM. */
  readonly provider?: string
  /** gcp: whether the identity may impersonate this service account (its policy read live). */
  readonly serviceAccount?: string
  /** gcp: the service account's IAM policy JSON instead of reading it. */
  readonly policyFile?: string
}

export interface CloudExplainer {
  readonly cloud: ExplainCloud
  explain(options: ExplainOptions, io: CommandIo): Promise<CloudExplanation>
}
