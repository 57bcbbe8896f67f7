/** The documents clients fetch: OpenID configuration, the keys, ARM's metadata/endpoints. */
import type { SigningKey } from './token.js'

export function openIdConfiguration(origin: string, tenantId: string): Record<string, unknown> {
  const base = `${origin}/${tenantId}`
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  }
}

export function keysDocument(signing: SigningKey): Record<string, unknown> {
  return { keys: [signing.jwk] }
}

/** For Terraform (go-azure-sdk): `name`, `resourceManager` (https) and `microsoftGraphResourceId` are required. */
export function metadataEndpoints(origin: string): Record<string, unknown> {
  return {
    portal: origin,
    authentication: {
      loginEndpoint: origin,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: 'https://rest.media.azure.net',
    graphAudience: 'https://graph.windows.net/',
    graph: 'https://graph.windows.net/',
    name: 'KeylessEmulator',
    suffixes: {
      azureDataLakeStoreFileSystem: 'azuredatalakestore.net',
      acrLoginServer: 'azurecr.io',
      sqlServerHostname: 'database.windows.net',
      azureDataLakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
      keyVaultDns: 'vault.azure.net',
      storage: 'core.windows.net',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
      storageSyncEndpointSuffix: 'afs.azure.net',
      mhsmDns: 'managedhsm.azure.net',
      mysqlServerEndpoint: 'mysql.database.azure.com',
      postgresqlServerEndpoint: 'postgres.database.azure.com',
      mariadbServerEndpoint: 'mariadb.database.azure.com',
      synapseAnalytics: 'dev.azuresynapse.net',
      attestationEndpoint: 'attest.azure.net',
    },
    batch: 'https://batch.core.windows.net/',
    resourceManager: `${origin}/`,
    vmImageAliasDoc:
      'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
    activeDirectoryDataLake: 'https://datalake.azure.net/',
    sqlManagement: 'https://management.core.windows.net:8443/',
    microsoftGraphResourceId: 'https://graph.microsoft.com/',
    appInsightsResourceId: 'https://api.applicationinsights.io',
    appInsightsTelemetryChannelResourceId: 'https://dc.applicationinsights.azure.com/v2/track',
    attestationResourceId: 'https://attest.azure.net',
    synapseAnalyticsResourceId: 'https://dev.azuresynapse.net',
    logAnalyticsResourceId: 'https://api.loganalytics.io',
    ossrDbmsResourceId: 'https://ossrdbms-aad.database.windows.net',
  }
}
