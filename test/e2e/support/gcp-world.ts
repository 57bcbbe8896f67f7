/**
 * GCP trust for the end-to-end suites: a workload identity pool and OIDC provider in the stack's
 * Google emulator whose mapping and condition pin the organization, a service account the
 * organization may impersonate, and a keyless gcp-oidc credential pointing at them.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { post } from '../../../src/runner/clouds/http.js'
import type { Json, Stack } from './stack.js'
import type { Env, Org } from './world.js'

export const GCP_PROJECT_NUMBER = '123456789012'
export const GCP_PROJECT_ID = 'keyless-e2e'

let pools = 0

async function iam(stack: Stack, path: string, body: Json): Promise<Json> {
  const res = await post(`${stack.gcpUrl}${path}`, JSON.stringify(body), {
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
  })
  if (res.status >= 300) throw new Error(`POST ${path} → ${res.status}: ${res.body}`)
  const answer: Json = JSON.parse(res.body)
  return answer
}

/**
 * A pool and provider trusting the keyless issuer (mapping `google.subject` and the organization;
 * condition: this organization only, or `condition` instead), a service account bound to the
 * organization's principal set, and the credential, assigned to the environment's project.
 */
export async function trustGcp(
  stack: Stack,
  org: Org,
  env: Env,
  options: { condition?: string } = {},
): Promise<{ serviceAccount: string; credentialId: string }> {
  pools += 1
  const pool = `kl-pool-${pools}`
  const base = `/v1/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools`
  await iam(stack, `${base}?workloadIdentityPoolId=${pool}`, { displayName: 'keyless' })
  await iam(stack, `${base}/${pool}/providers?workloadIdentityPoolProviderId=keyless`, {
    oidc: { issuerUri: org.issuer, allowedAudiences: [`gcp:${org.id}`] },
    attributeMapping: {
      'google.subject': 'assertion.sub',
      'attribute.organization': 'assertion.organizationId',
    },
    attributeCondition: options.condition ?? `assertion.organizationId == '${org.id}'`,
  })
  const account = `deployer-${pools}`
  const sa = await iam(stack, `/v1/projects/${GCP_PROJECT_ID}/serviceAccounts`, {
    accountId: account,
  })
  const email = String(sa.email)
  await iam(stack, `/v1/projects/-/serviceAccounts/${email}:setIamPolicy`, {
    policy: {
      bindings: [
        {
          role: 'roles/iam.workloadIdentityUser',
          members: [
            `principalSet://iam.googleapis.com/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${pool}/attribute.organization/${org.id}`,
          ],
        },
      ],
    },
  })
  const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    type: 'gcp-oidc',
    name: `gcp-${env.projectId}`,
    projectNumber: GCP_PROJECT_NUMBER,
    gcpProjectId: GCP_PROJECT_ID,
    poolId: pool,
    providerId: 'keyless',
    serviceAccountEmail: email,
    stsEndpoint: stack.gcpUrl,
    iamCredentialsEndpoint: stack.gcpUrl,
  })
  await stack.api('PUT', `/api/v1/projects/${env.projectId}/credentials/${credential.id}`)
  return { serviceAccount: email, credentialId: credential.id }
}

/** A step that gets an access token through google-auth-library from the environment, unmodified. */
export function googleAuthStep(dir: string): string {
  const file = join(dir, 'google-auth.mjs')
  writeFileSync(
    file,
    [
      `import { GoogleAuth } from ${JSON.stringify(import.meta.resolve('google-auth-library'))}`,
      `const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] })`,
      `const client = await auth.getClient()`,
      `const { token } = await client.getAccessToken()`,
      `console.log('gcp access token: ' + (typeof token === 'string' && token.length > 0))`,
      `console.log('gcp acting as: ' + (client.getServiceAccountEmail?.() ?? 'federated'))`,
      `console.log('gcp project: ' + (await auth.getProjectId()))`,
    ].join('\n'),
  )
  return `"${process.execPath}" "${file}"`
}
