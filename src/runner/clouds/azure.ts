import type { AgentAzureCredential } from '../../shared/contracts/agent-api.js'
import { RunFailure } from '../failure-error.js'
import { cloudToken } from './cloud-token.js'
import { cloudDecisionLines } from './cloud-decision.js'
import { EntraRefused, exchangeAtEntra } from './entra-exchange.js'
import { ExchangeUnreachable } from './http.js'
import type { CloudContext, CloudSession } from './types.js'

/** Microsoft's own authority: no authority or metadata variables are needed for it. */
const MICROSOFT_AUTHORITY = 'https://login.microsoftonline.com'

/**
 * Azure's part of a phase (docs/azure.md): keeps the Azure token fresh in `azure-token`, makes
 * the exchange at Entra once before the steps (failing fast with the reason), and gives the steps
 * what azurerm/azuread, the Azure SDKs and az read.
 */
export async function openAzureSession(
  ctx: CloudContext,
  credential: AgentAzureCredential,
): Promise<CloudSession> {
  const clientId =
    ctx.phase === 'plan' && credential.planClientId !== null
      ? credential.planClientId
      : credential.clientId
  const { keeper, token: assertion } = await cloudToken(ctx, 'azure')
  ctx.system(
    `Azure: exchanging the token at ${credential.authorityHost}/${credential.tenantId} for client ${clientId} (run phase ${ctx.phase})`,
  )
  const t = performance.now()
  try {
    const token = await exchangeAtEntra({
      authorityHost: credential.authorityHost,
      tenantId: credential.tenantId,
      clientId,
      assertion: assertion,
      extraCa: ctx.extraCa?.pem,
    })
    ctx.secrets.add(token.accessToken)
    ctx.system(
      `Azure: signed in as client ${clientId} in tenant ${credential.tenantId}; the access token lasts ${token.expiresInSeconds} s`,
    )
  } catch (error) {
    await keeper.stop()
    throw await azureFailure(error, credential, ctx)
  }
  const exchangeMs = performance.now() - t
  keeper.start()
  return {
    cloud: 'azure',
    env: azureEnv(credential, clientId, keeper.file, ctx.extraCa?.bundleFile),
    exchangeMs,
    stop: () => keeper.stop(),
  }
}

/** The variables of DESIGN's runner environment for Azure (docs/azure.md lists them). */
export function azureEnv(
  credential: AgentAzureCredential,
  clientId: string,
  tokenFile: string,
  caFile: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {
    ARM_USE_OIDC: 'true',
    ARM_OIDC_TOKEN_FILE_PATH: tokenFile,
    ARM_CLIENT_ID: clientId,
    ARM_TENANT_ID: credential.tenantId,
    ARM_SUBSCRIPTION_ID: credential.subscriptionId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    AZURE_CLIENT_ID: clientId,
    AZURE_TENANT_ID: credential.tenantId,
    AZURE_SUBSCRIPTION_ID: credential.subscriptionId,
  }
  if (credential.authorityHost.replace(/\/+$/u, '') !== MICROSOFT_AUTHORITY) {
    env['AZURE_AUTHORITY_HOST'] = credential.authorityHost
    env['ARM_METADATA_HOSTNAME'] = new URL(credential.authorityHost).host
    if (caFile !== undefined) {
      env['NODE_EXTRA_CA_CERTS'] = caFile
      env['REQUESTS_CA_BUNDLE'] = caFile
      env['SSL_CERT_FILE'] = caFile
    }
  }
  return env
}

async function azureFailure(
  error: unknown,
  credential: AgentAzureCredential,
  ctx: CloudContext,
): Promise<RunFailure> {
  if (error instanceof ExchangeUnreachable)
    return new RunFailure({ code: 'upstream_unreachable', message: `Azure: ${error.message}` })
  if (!(error instanceof EntraRefused)) throw error
  const explanation = await cloudDecisionLines(
    credential.authorityHost,
    'azure',
    error.aadsts,
    ctx.extraCa?.pem,
  )
  return new RunFailure({
    code: 'azure_exchange_failed',
    message: `Entra ID refused the exchange for client ${credential.clientId}: ${error.message}`,
    ...(explanation === undefined || explanation.length === 0 ? {} : { explanation }),
  })
}
