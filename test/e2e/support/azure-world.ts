/**
 * Azure trust for the end-to-end suites: an app registration with a federated credential in the
 * stack's Entra emulator (Graph API), and a keyless azure-oidc credential pointing at it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { get, post } from '../../../src/runner/clouds/http.js'
import type { Json, Stack } from './stack.js'
import type { Env, Org } from './world.js'

export const AZURE_TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
export const AZURE_SUBSCRIPTION = '99999999-8888-4777-8666-555555555555'

/** A Graph call at the Entra emulator with its admin token. */
export async function graph(stack: Stack, method: 'GET' | 'POST', path: string, body?: Json) {
  const options = {
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    extraCa: readFileSync(stack.emulatorCaFile, 'utf8'),
  }
  const url = `${stack.azureUrl}${path}`
  const res =
    method === 'GET' ? await get(url, options) : await post(url, JSON.stringify(body), options)
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.body}`)
  const answer: Json = JSON.parse(res.body)
  return answer
}

/**
 * An app whose federated credential trusts the environment's Azure subject (the default, without
 * the deployment type), and the keyless credential for it, assigned to the environment's project.
 */
export async function trustAzure(
  stack: Stack,
  org: Org,
  env: Env,
  fic: { subject?: string; audience?: string } = {},
): Promise<{ appId: string; credentialId: string }> {
  const app = await graph(stack, 'POST', '/v1.0/applications', { displayName: env.projectId })
  await graph(stack, 'POST', `/v1.0/applications/${app.id}/federatedIdentityCredentials`, {
    name: `keyless-${env.environmentId}`.slice(0, 120).replace(/[^A-Za-z0-9-]/gu, '-'),
    issuer: org.issuer,
    subject:
      fic.subject ?? `org:${org.id}:project:${env.projectId}:environment:${env.environmentId}`,
    audiences: [fic.audience ?? `azure:${org.id}`],
  })
  const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    type: 'azure-oidc',
    name: `azure-${env.projectId}`,
    tenantId: AZURE_TENANT,
    clientId: app.appId,
    subscriptionId: AZURE_SUBSCRIPTION,
    authorityHost: stack.azureUrl,
  })
  await stack.api('PUT', `/api/v1/projects/${env.projectId}/credentials/${credential.id}`)
  return { appId: app.appId, credentialId: credential.id }
}

/** A step that signs in with @azure/identity from the environment keyless set, unmodified. */
export function azureIdentityStep(dir: string): string {
  const file = join(dir, 'azure-identity.mjs')
  writeFileSync(
    file,
    [
      `import { WorkloadIdentityCredential } from ${JSON.stringify(import.meta.resolve('@azure/identity'))}`,
      `import { decodeJwt } from ${JSON.stringify(import.meta.resolve('jose'))}`,
      `const credential = new WorkloadIdentityCredential({ disableInstanceDiscovery: true })`,
      `const { token } = await credential.getToken('https://management.azure.com/.default')`,
      `const claims = decodeJwt(token)`,
      `console.log('azure appid: ' + claims.appid + ' tid: ' + claims.tid)`,
      `console.log('arm: ' + [process.env.ARM_USE_OIDC, process.env.ARM_CLIENT_ID, process.env.ARM_SUBSCRIPTION_ID].join(' '))`,
    ].join('\n'),
  )
  return `"${process.execPath}" "${file}"`
}
