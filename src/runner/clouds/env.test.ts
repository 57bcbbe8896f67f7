import { describe, expect, it } from 'vitest'
import type { AgentAzureCredential, AgentGcpCredential } from '../../shared/contracts/agent-api.js'
import { azureEnv } from './azure.js'
import { gcpEnv } from './gcp.js'

const azure: AgentAzureCredential = {
  id: 'cred_1',
  type: 'azure-oidc',
  tenantId: 'tid',
  clientId: 'cid',
  planClientId: null,
  subscriptionId: 'sub',
  authorityHost: 'https://login.microsoftonline.com',
  audience: 'azure:org_1',
}

const gcp: AgentGcpCredential = {
  id: 'cred_2',
  type: 'gcp-oidc',
  projectNumber: '123',
  gcpProjectId: 'acme-prod',
  poolId: 'pool',
  providerId: 'prov',
  serviceAccountEmail: 'sa@acme-prod.iam.gserviceaccount.com',
  planServiceAccountEmail: null,
  tokenLifetimeSeconds: 1800,
  audience: 'gcp:org_1',
  stsEndpoint: 'https://sts.googleapis.com',
  iamCredentialsEndpoint: 'https://iamcredentials.googleapis.com',
}

/** [case, credential change, CA bundle, variables expected, variables that must be absent] */
const azureCases: ReadonlyArray<
  readonly [
    string,
    Partial<AgentAzureCredential>,
    string | undefined,
    Record<string, string>,
    string[],
  ]
> = [
  [
    "Microsoft's authority: no authority or CA variables",
    {},
    '/ca.pem',
    { ARM_USE_OIDC: 'true', ARM_CLIENT_ID: 'cid', AZURE_FEDERATED_TOKEN_FILE: '/w/azure-token' },
    ['AZURE_AUTHORITY_HOST', 'ARM_METADATA_HOSTNAME', 'NODE_EXTRA_CA_CERTS'],
  ],
  [
    'an emulator authority: the host, the metadata host and the CA bundle',
    { authorityHost: 'https://127.0.0.1:4567' },
    '/ca.pem',
    {
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:4567',
      ARM_METADATA_HOSTNAME: '127.0.0.1:4567',
      NODE_EXTRA_CA_CERTS: '/ca.pem',
      REQUESTS_CA_BUNDLE: '/ca.pem',
      SSL_CERT_FILE: '/ca.pem',
    },
    [],
  ],
  [
    'another authority without a CA file: no CA variables',
    { authorityHost: 'https://login.example' },
    undefined,
    { AZURE_AUTHORITY_HOST: 'https://login.example' },
    ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'],
  ],
]

describe('the runner environment of each cloud', () => {
  it.each(azureCases)('Azure: %s', (_, change, ca, present, absent) => {
    const env = azureEnv({ ...azure, ...change }, 'cid', '/w/azure-token', ca)
    expect(env).toMatchObject({
      ARM_OIDC_TOKEN_FILE_PATH: '/w/azure-token',
      ARM_TENANT_ID: 'tid',
      ARM_SUBSCRIPTION_ID: 'sub',
      AZURE_CLIENT_ID: 'cid',
      AZURE_TENANT_ID: 'tid',
      ...present,
    })
    for (const name of absent) expect(env[name]).toBeUndefined()
  })

  it('GCP: the file for every Google client and gcloud, the project, a CA only off Google', () => {
    expect(gcpEnv(gcp, '/w/gcp.json', '/ca.pem')).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: '/w/gcp.json',
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: '/w/gcp.json',
      GOOGLE_CLOUD_PROJECT: 'acme-prod',
      CLOUDSDK_CORE_PROJECT: 'acme-prod',
    })
    expect(
      gcpEnv({ ...gcp, stsEndpoint: 'https://127.0.0.1:4568' }, '/w/gcp.json', '/ca.pem'),
    ).toMatchObject({ NODE_EXTRA_CA_CERTS: '/ca.pem', SSL_CERT_FILE: '/ca.pem' })
  })
})
