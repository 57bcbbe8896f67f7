import type { AgentAzureCredential, AgentGcpCredential } from '../shared/contracts/agent-api.js'
import type { CredentialRow } from '../store/platform-tables.js'
import {
  azureSettingsOf,
  DEFAULT_GCP_IAM_CREDENTIALS,
  DEFAULT_GCP_STS,
  gcpSettingsOf,
} from './credential-settings.js'

/** Azure and GCP credentials as the agent receives them on claim (endpoints resolved). */

export function toAgentAzure(row: CredentialRow): AgentAzureCredential {
  const s = azureSettingsOf(row)
  return {
    id: row.id,
    type: 'azure-oidc',
    tenantId: s.tenantId,
    clientId: s.clientId,
    planClientId: s.planClientId,
    subscriptionId: s.subscriptionId,
    authorityHost: s.authorityHost,
    audience: row.audience ?? '',
  }
}

export function toAgentGcp(row: CredentialRow): AgentGcpCredential {
  const s = gcpSettingsOf(row)
  return {
    id: row.id,
    type: 'gcp-oidc',
    projectNumber: s.projectNumber,
    gcpProjectId: s.gcpProjectId,
    poolId: s.poolId,
    providerId: s.providerId,
    serviceAccountEmail: s.serviceAccountEmail,
    planServiceAccountEmail: s.planServiceAccountEmail,
    tokenLifetimeSeconds: s.tokenLifetimeSeconds,
    audience: row.audience ?? '',
    stsEndpoint: (s.stsEndpoint ?? DEFAULT_GCP_STS).replace(/\/+$/u, ''),
    iamCredentialsEndpoint: (s.iamCredentialsEndpoint ?? DEFAULT_GCP_IAM_CREDENTIALS).replace(
      /\/+$/u,
      '',
    ),
  }
}
