import { randomBytes } from 'node:crypto'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import type { RunPhase } from '../shared/contracts/common.js'
import type { Clock } from '../shared/clock.js'
import { startCredentialEndpoint, type RunningEndpoint } from './credential-endpoint.js'
import { CredentialBroker, mintOrFail } from './credentials.js'
import type { EndpointCredentialEnv, StaticCredentialEnv } from './env.js'
import type { SecretSet } from './mask.js'
import type { TokenKeeper } from './token-keeper.js'
import type { RunnerDeps, RunnerOptions, RunTimings } from './types.js'

/** AWS's part of a run phase (docs/deployments.md): the token, and the session when a credential is assigned. */
export interface AwsSession {
  /** The phase's first token (KEYLESS_OIDC_TOKEN), or undefined when none could be minted. */
  readonly token: string | undefined
  readonly aws?: StaticCredentialEnv | EndpointCredentialEnv
  readonly broker?: CredentialBroker
  readonly endpoint?: RunningEndpoint
  readonly assumedRoleArn?: string
}

export interface AwsSessionContext {
  readonly deployment: AgentDeployment
  readonly phase: RunPhase
  readonly tokens: TokenKeeper
  readonly clock: Clock
  readonly secrets: SecretSet
  readonly system: (text: string) => void
  readonly timings: RunTimings
  readonly options: RunnerOptions
  readonly deps: RunnerDeps
}

/** The credential of a phase: the plan phase assumes the credential's planRoleArn when set. */
export function credentialFor(
  deployment: AgentDeployment,
  phase: RunPhase,
): AgentDeployment['credential'] {
  const c = deployment.credential
  if (c === null || phase !== 'plan' || c.roleSource !== 'credential') return c
  if (c.planRoleArn === undefined || c.planRoleArn === null) return c
  return { ...c, roleArn: c.planRoleArn, roleSource: 'plan-role' }
}

/**
 * Opens the phase's AWS session (docs/state.md: a Terraform deploy's plan and apply each get
 * their own, the plan with the credential's planRoleArn when set). Without an AWS credential the
 * token is still offered to user code that federates elsewhere.
 */
export async function openAwsSession(ctx: AwsSessionContext): Promise<AwsSession> {
  const credential = credentialFor(ctx.deployment, ctx.phase)
  if (credential === null) return { token: await tokenOnly(ctx) }
  const broker = new CredentialBroker({
    deployment: ctx.deployment,
    credential,
    clock: ctx.clock,
    secrets: ctx.secrets,
    tokens: ctx.tokens,
    system: ctx.system,
    ...(ctx.options.refreshBeforeSeconds === undefined
      ? {}
      : { refreshBeforeSeconds: ctx.options.refreshBeforeSeconds }),
    ...(ctx.options.refreshHandoutSeconds === undefined
      ? {}
      : { handoutSeconds: ctx.options.refreshHandoutSeconds }),
  })
  ctx.system(
    `assuming ${credential.roleArn} (role from ${credential.roleSource}) for ${credential.durationSeconds} s` +
      `${credential.stsEndpoint === null ? '' : ` at ${credential.stsEndpoint}`} (run phase ${ctx.phase})`,
  )
  const phases = { tokenMintMs: 0, stsExchangeMs: 0 }
  const credentials = await broker.obtain(phases)
  ctx.timings.tokenMintMs ??= phases.tokenMintMs
  ctx.timings.stsExchangeMs ??= phases.stsExchangeMs
  const assumedRoleArn = credentials.assumedRoleArn
  ctx.deps.onCredentials?.(assumedRoleArn)
  ctx.system(`assumed ${assumedRoleArn}; session expires ${credentials.expiration.toISOString()}`)
  const base = { token: broker.token, broker, assumedRoleArn }
  if (!credential.refresh) return { ...base, aws: { mode: 'static', credentials } }
  return { ...base, ...(await refreshEndpoint(ctx, broker, assumedRoleArn)) }
}

/** Refresh mode: a loopback endpoint the AWS SDKs poll, the session re-assumed in the background. */
async function refreshEndpoint(
  ctx: AwsSessionContext,
  broker: CredentialBroker,
  assumedRoleArn: string,
): Promise<Pick<AwsSession, 'aws' | 'endpoint'>> {
  const authorizationToken = randomBytes(32).toString('base64url')
  ctx.secrets.add(authorizationToken)
  const endpoint = await startCredentialEndpoint({
    authorizationToken,
    current: () => broker.handout(),
  })
  broker.startBackgroundRefresh()
  ctx.system(
    `refresh mode: steps get credentials from ${endpoint.url}, re-assumed ${broker.refreshBeforeSeconds} s before they expire`,
  )
  return {
    endpoint,
    aws: { mode: 'endpoint', url: endpoint.url, authorizationToken, assumedRoleArn },
  }
}

async function tokenOnly(ctx: AwsSessionContext): Promise<string | undefined> {
  const { deployment } = ctx
  // With other clouds the token must come: their own tokens come from the same control plane.
  if ((deployment.azure ?? deployment.gcp ?? null) !== null)
    return (await mintOrFail(ctx.tokens)).token
  const t = performance.now()
  try {
    const token = (await mintOrFail(ctx.tokens)).token
    ctx.timings.tokenMintMs ??= performance.now() - t
    ctx.system(
      `no cloud credential is assigned to project ${deployment.projectName}: steps get the OIDC token (KEYLESS_OIDC_TOKEN) but no AWS, Azure or GCP credentials (assign one: PUT /api/v1/projects/${deployment.projectId}/credentials/{credentialId})`,
    )
    return token
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    ctx.system(
      `no credential is assigned to the project, and no OIDC token could be minted (${why}): steps run without one`,
    )
    return undefined
  }
}
