/**
 * The Azure and GCP half of `keyless up --demo`: the demo project gets an azure-oidc and a
 * gcp-oidc credential, and the emulators trust them exactly as `keyless setup azure --apply` and
 * `keyless setup gcp --apply` would set it up (the same gather, plan and apply code). Idempotent:
 * a second start finds the app registration, the service account and the credentials again.
 */
import type { ControlPlaneClient } from '../client/index.js'
import type { Credential } from '../shared/contracts/resources.js'
import { arrayAt, stringAt } from '../trust/setup/azure/entra-http.js'
import { controlPlaneSetupSource } from './setup-source.js'
import {
  applyAzureSetup,
  applyGcpSetup,
  entraCall,
  gatherAzureSetup,
  gatherGcpSetup,
  planAzureSetup,
  planGcpSetup,
  readIam,
  iamCall,
  type GcpConnection,
  type EntraConnection,
} from '../trust/index.js'

export const DEMO_CLOUDS = {
  azureCredential: 'demo-azure',
  azureApplication: 'keyless-demo',
  /** The subscription the demo's ARM_SUBSCRIPTION_ID names (the emulator has no resources). */
  azureSubscription: '99999999-8888-4777-8666-555555555555',
  gcpCredential: 'demo-gcp',
  gcpProjectNumber: '123456789012',
  gcpProjectId: 'keyless-demo',
  gcpPool: 'keyless-demo',
  gcpProvider: 'keyless',
  gcpServiceAccount: 'keyless-demo',
} as const

export interface DemoScope {
  readonly organizationId: string
  readonly projectId: string
  readonly issuer: string
}

export interface EntraTarget {
  readonly url: string
  readonly ca: string
  readonly tenantId: string
  readonly adminToken: string
}

export interface GoogleTarget {
  readonly url: string
  readonly adminToken: string
}

/** The credential of that name, else the one `create` makes; assigned to the project. */
async function demoCredential(
  api: ControlPlaneClient,
  scope: DemoScope,
  name: string,
  create: () => Promise<Credential>,
): Promise<Credential> {
  const found = (await api.credentials(scope.organizationId)).find((c) => c.name === name)
  const credential = found ?? (await create())
  await api.assignCredential(scope.projectId, credential.id)
  return credential
}

/** The demo app registration (created through Graph when absent). */
async function demoApplication(entra: EntraConnection): Promise<{ id: string; appId: string }> {
  const apps = await entraCall(entra, 'GET', `${entra.graphUrl}/v1.0/applications`)
  const found =
    arrayAt(apps.json, 'value').find(
      (a) => stringAt(a, 'displayName') === DEMO_CLOUDS.azureApplication,
    ) ??
    (
      await entraCall(entra, 'POST', `${entra.graphUrl}/v1.0/applications`, {
        displayName: DEMO_CLOUDS.azureApplication,
      })
    ).json
  return { id: stringAt(found, 'id'), appId: stringAt(found, 'appId') }
}

/**
 * The demo app's federated credentials for another issuer (an earlier start on another port)
 * are deleted: they would take the names the current issuer's need. Only the demo's own app.
 */
async function retireStaleFics(
  entra: EntraConnection,
  objectId: string,
  issuer: string,
): Promise<string[]> {
  const url = `${entra.graphUrl}/v1.0/applications/${objectId}/federatedIdentityCredentials`
  const lines: string[] = []
  for (const fic of arrayAt((await entraCall(entra, 'GET', url)).json, 'value')) {
    if (stringAt(fic, 'issuer') === issuer) continue
    await entraCall(entra, 'DELETE', `${url}/${stringAt(fic, 'id')}`)
    lines.push(
      `deleted ${stringAt(fic, 'name')} (issuer ${stringAt(fic, 'issuer')}, not ${issuer})`,
    )
  }
  return lines
}

/** An app registration, its federated credential for the demo's subjects, the keyless credential. */
export async function seedAzureDemo(
  api: ControlPlaneClient,
  scope: DemoScope,
  target: EntraTarget,
): Promise<{ readonly clientId: string; readonly lines: readonly string[] }> {
  const entra: EntraConnection = {
    graphUrl: target.url,
    armUrl: target.url,
    token: target.adminToken,
    ca: target.ca,
  }
  const app = await demoApplication(entra)
  const clientId = app.appId
  const retired = await retireStaleFics(entra, app.id, scope.issuer)
  const credential = await demoCredential(api, scope, DEMO_CLOUDS.azureCredential, () =>
    api.createCredential(scope.organizationId, {
      type: 'azure-oidc',
      name: DEMO_CLOUDS.azureCredential,
      tenantId: target.tenantId,
      clientId,
      subscriptionId: DEMO_CLOUDS.azureSubscription,
      authorityHost: target.url,
    }),
  )
  await api.updateCredential(credential.id, { clientId, authorityHost: target.url })
  const gathered = await gatherAzureSetup(controlPlaneSetupSource(api), {
    organizationId: scope.organizationId,
    credentialIds: [credential.id],
  })
  const plan = planAzureSetup({
    organizationId: scope.organizationId,
    issuer: scope.issuer,
    credentials: gathered.credentials,
  })
  const result = await applyAzureSetup(plan, entra)
  return { clientId, lines: [...retired, ...result.lines] }
}

/** A service account, a pool and provider pinned to the organization, the binding, the credential. */
export async function seedGcpDemo(
  api: ControlPlaneClient,
  scope: DemoScope,
  target: GoogleTarget,
  subjectTemplate: string,
): Promise<{ readonly serviceAccount: string; readonly lines: readonly string[] }> {
  const google: GcpConnection = { url: target.url, token: target.adminToken }
  const serviceAccount = await demoServiceAccount(google)
  const credential = await demoCredential(api, scope, DEMO_CLOUDS.gcpCredential, () =>
    api.createCredential(scope.organizationId, {
      type: 'gcp-oidc',
      name: DEMO_CLOUDS.gcpCredential,
      projectNumber: DEMO_CLOUDS.gcpProjectNumber,
      gcpProjectId: DEMO_CLOUDS.gcpProjectId,
      poolId: DEMO_CLOUDS.gcpPool,
      providerId: DEMO_CLOUDS.gcpProvider,
      serviceAccountEmail: serviceAccount,
      stsEndpoint: target.url,
      iamCredentialsEndpoint: target.url,
    }),
  )
  await api.updateCredential(credential.id, {
    stsEndpoint: target.url,
    iamCredentialsEndpoint: target.url,
  })
  const gathered = await gatherGcpSetup(
    controlPlaneSetupSource(api),
    { organizationId: scope.organizationId, credentialIds: [credential.id] },
    subjectTemplate,
  )
  const plan = planGcpSetup({
    organizationId: scope.organizationId,
    issuer: scope.issuer,
    credentials: gathered.credentials,
  })
  const moved = await followIssuer(google, scope.issuer)
  const result = await applyGcpSetup(plan, google)
  return { serviceAccount, lines: [...moved, ...result.lines] }
}

/** The demo service account's email (created through IAM when absent). */
async function demoServiceAccount(google: GcpConnection): Promise<string> {
  const accounts = `/v1/projects/${DEMO_CLOUDS.gcpProjectId}/serviceAccounts`
  const email = `${DEMO_CLOUDS.gcpServiceAccount}@${DEMO_CLOUDS.gcpProjectId}.iam.gserviceaccount.com`
  const listed = await iamCall(google, 'GET', accounts)
  if (arrayAt(listed.json, 'accounts').some((a) => stringAt(a, 'email') === email)) return email
  const created = await iamCall(google, 'POST', accounts, {
    accountId: DEMO_CLOUDS.gcpServiceAccount,
    serviceAccount: { displayName: 'keyless demo deployments' },
  })
  return stringAt(created.json, 'email')
}

/** The demo provider, set up by an earlier start on another port, is pointed at this issuer. */
async function followIssuer(google: GcpConnection, issuer: string): Promise<string[]> {
  const name = `projects/${DEMO_CLOUDS.gcpProjectNumber}/locations/global/workloadIdentityPools/${DEMO_CLOUDS.gcpPool}/providers/${DEMO_CLOUDS.gcpProvider}`
  const provider = await readIam(google, name)
  const was = stringAt(provider, 'oidc', 'issuerUri')
  if (provider === null || was === issuer) return []
  await iamCall(google, 'PATCH', `/v1/${name}?updateMask=oidc.issuerUri`, {
    oidc: { issuerUri: issuer },
  })
  return [`moved provider ${name} from issuer ${was} to ${issuer}`]
}
