/**
 * Create bodies of an Azure and a GCP credential (`POST /api/v1/organizations/{id}/credentials`,
 * src/platform/credential-input.ts), for the server tests that need one of each; add a `name`.
 */
export const TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
export const CLIENT = '11111111-2222-4333-8444-555555555555'
export const SUBSCRIPTION = '99999999-8888-4777-8666-555555555555'

export const AZURE = {
  type: 'azure-oidc',
  tenantId: TENANT,
  clientId: CLIENT,
  subscriptionId: SUBSCRIPTION,
}

export const GCP = {
  type: 'gcp-oidc',
  projectNumber: '123456789012',
  gcpProjectId: 'acme-prod',
  poolId: 'keyless',
  providerId: 'keyless-oidc',
  serviceAccountEmail: 'deployer@acme-prod.iam.gserviceaccount.com',
}
