import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentGcpCredential } from '../../shared/contracts/agent-api.js'
import { RunFailure } from '../failure-error.js'
import { cloudToken } from './cloud-token.js'
import { cloudDecisionLines } from './cloud-decision.js'
import {
  buildExternalAccount,
  impersonationUrl,
  stsTokenUrl,
} from '../../federation/gcp/external-account.js'
import { providerName } from '../../federation/gcp/names.js'
import { exchangeAtSts, generateAccessToken, GoogleRefused } from './google-exchange.js'
import { ExchangeUnreachable } from './http.js'
import type { CloudContext, CloudSession } from './types.js'

/**
 * GCP's part of a phase (docs/gcp.md): keeps the GCP token fresh in `gcp-token`, writes the
 * `external_account` file that names it, makes the exchange once before the steps (STS, then the
 * service account's access token) failing fast with the reason, and points the Google clients,
 * gcloud and Terraform's google provider at the file.
 */
export async function openGcpSession(
  ctx: CloudContext,
  credential: AgentGcpCredential,
): Promise<CloudSession> {
  const serviceAccount =
    ctx.phase === 'plan' && credential.planServiceAccountEmail !== null
      ? credential.planServiceAccountEmail
      : credential.serviceAccountEmail
  const { keeper, token: assertion } = await cloudToken(ctx, 'gcp')
  const configFile = join(ctx.workDir, 'gcp-credentials.json')
  const config = buildExternalAccount({
    projectNumber: credential.projectNumber,
    poolId: credential.poolId,
    providerId: credential.providerId,
    tokenFile: keeper.file,
    stsEndpoint: credential.stsEndpoint,
    iamCredentialsEndpoint: credential.iamCredentialsEndpoint,
    serviceAccountEmail: serviceAccount ?? undefined,
    tokenLifetimeSeconds: credential.tokenLifetimeSeconds,
  })
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
  ctx.system(
    `GCP: exchanging the token at ${config.token_url} for ${config.audience}` +
      `${serviceAccount === null ? '' : `, then impersonating ${serviceAccount}`} (run phase ${ctx.phase})`,
  )
  const t = performance.now()
  try {
    await exchange(ctx, credential, assertion, serviceAccount)
  } catch (error) {
    await keeper.stop()
    throw await gcpFailure(error, credential, ctx)
  }
  const exchangeMs = performance.now() - t
  keeper.start()
  return {
    cloud: 'gcp',
    env: gcpEnv(credential, configFile, ctx.extraCa?.bundleFile),
    exchangeMs,
    stop: () => keeper.stop(),
  }
}

async function exchange(
  ctx: CloudContext,
  c: AgentGcpCredential,
  token: string,
  serviceAccount: string | null,
): Promise<void> {
  const extraCa = ctx.extraCa?.pem
  const federated = await exchangeAtSts(
    stsTokenUrl(c.stsEndpoint),
    `//iam.googleapis.com/${providerName(c)}`,
    token,
    extraCa,
  )
  ctx.secrets.add(federated.accessToken)
  if (serviceAccount === null) {
    ctx.system(`GCP: federated token obtained; it lasts ${federated.expiresInSeconds} s`)
    return
  }
  const access = await generateAccessToken(
    impersonationUrl(serviceAccount, c.iamCredentialsEndpoint),
    federated.accessToken,
    c.tokenLifetimeSeconds,
    extraCa,
  )
  ctx.secrets.add(access.accessToken)
  ctx.system(`GCP: acting as ${serviceAccount}; the access token expires ${access.expireTime}`)
}

/** The variables of the runner environment for GCP (docs/gcp.md lists them). */
export function gcpEnv(
  c: AgentGcpCredential,
  configFile: string,
  caFile: string | undefined,
): Record<string, string> {
  return {
    GOOGLE_APPLICATION_CREDENTIALS: configFile,
    CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: configFile,
    GOOGLE_CLOUD_PROJECT: c.gcpProjectId,
    CLOUDSDK_CORE_PROJECT: c.gcpProjectId,
    ...(caFile === undefined || c.stsEndpoint.startsWith('https://sts.googleapis.com')
      ? {}
      : { NODE_EXTRA_CA_CERTS: caFile, REQUESTS_CA_BUNDLE: caFile, SSL_CERT_FILE: caFile }),
  }
}

async function gcpFailure(
  error: unknown,
  c: AgentGcpCredential,
  ctx: CloudContext,
): Promise<RunFailure> {
  if (error instanceof ExchangeUnreachable)
    return new RunFailure({ code: 'upstream_unreachable', message: `GCP: ${error.message}` })
  if (!(error instanceof GoogleRefused)) throw error
  const base = error.step === 'sts' ? c.stsEndpoint : c.iamCredentialsEndpoint
  const explanation = await cloudDecisionLines(base, 'gcp', error.errorCode, ctx.extraCa?.pem)
  const where =
    error.step === 'sts'
      ? 'Google STS refused the exchange'
      : 'IAM Credentials refused the impersonation'
  return new RunFailure({
    code: 'gcp_exchange_failed',
    message: `${where}: ${error.message}`,
    ...(explanation === undefined || explanation.length === 0 ? {} : { explanation }),
  })
}
