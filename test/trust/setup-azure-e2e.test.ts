/**
 * `keyless setup azure --apply` against a real `keyless emulator` process (and a real `keyless
 * server`): the federated credentials it creates through the emulator's Graph API let a
 * keyless-minted Azure token sign in at Entra's token endpoint; applying again keeps them; an
 * environment set up later is refused until setup runs for it.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post } from '../../src/runner/clouds/http.js'
import { AZURE_SUBSCRIPTION, AZURE_TENANT, graph } from '../e2e/support/azure-world.js'
import { startStack, type Json, type Stack } from '../e2e/support/stack.js'
import { createOrg, type Org } from '../e2e/support/world.js'
import { runTrustCli } from './cli-harness.js'

let stack: Stack
let org: Org
let appId = ''
let appObjectId = ''
let projectId = ''
let templateId = ''

async function environment(name: string): Promise<string> {
  const e = await stack.api('POST', `/api/v1/projects/${projectId}/environments`, {
    name,
    templateId,
  })
  return e.id as string
}

/** A keyless-minted Azure token of a queued deployment of the environment. */
async function azureToken(environmentId: string): Promise<string> {
  const d = await stack.api('POST', `/api/v1/environments/${environmentId}/deployments`, {
    type: 'deploy',
  })
  const minted = await stack.api('POST', `/api/v1/deployments/${d.id}/oidc-token`, {
    cloud: 'azure',
  })
  return minted.token as string
}

async function exchange(assertion: string): Promise<{ status: number; body: Json }> {
  const form = new URLSearchParams({
    client_id: appId,
    scope: 'https://management.azure.com/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  })
  const res = await post(`${stack.azureUrl}/${AZURE_TENANT}/oauth2/v2.0/token`, form.toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    extraCa: readFileSync(stack.emulatorCaFile, 'utf8'),
  })
  return { status: res.status, body: JSON.parse(res.body) }
}

const setupArgs = (): string[] => [
  'setup',
  'azure',
  '--organization',
  org.id,
  '--server',
  stack.serverUrl,
  '--api-key',
  stack.adminKey,
  '--apply',
  '--endpoint-url',
  stack.azureUrl,
  '--ca-file',
  stack.emulatorCaFile,
  '--admin-token',
  'test',
]

beforeAll(async () => {
  stack = await startStack()
  org = await createOrg(stack, 'setup-azure')
  const app = await graph(stack, 'POST', '/v1.0/applications', { displayName: 'deployer' })
  appId = app.appId
  appObjectId = app.id
  projectId = (await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' }))
    .id
  templateId = (
    await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 't',
      type: 'custom',
      steps: [{ name: 'noop', run: 'true' }],
    })
  ).id
  const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    type: 'azure-oidc',
    name: 'azure',
    tenantId: AZURE_TENANT,
    clientId: appId,
    subscriptionId: AZURE_SUBSCRIPTION,
    authorityHost: stack.azureUrl,
  })
  await stack.api('PUT', `/api/v1/projects/${projectId}/credentials/${credential.id}`)
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

describe('setup azure --apply on the Entra emulator', { timeout: 60_000 }, () => {
  it('creates one federated credential per environment, and a minted token signs in', async () => {
    const prod = await environment('prod')
    const staging = await environment('staging')
    const r = await runTrustCli(setupArgs())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const subject = (e: string): string => `org:${org.id}:project:${projectId}:environment:${e}`
    expect(r.stdout).toContain(
      `application ${appId}: created keyless-project-${projectId}-environment-${prod} (subject ${subject(prod)})`,
    )
    expect(r.stdout).toContain(`${appId}: 2 of 20 federated identity credentials`)

    const listed = await graph(
      stack,
      'GET',
      `/v1.0/applications/${appObjectId}/federatedIdentityCredentials`,
    )
    expect(listed.value.map((f: Json) => [f.issuer, f.subject, f.audiences]).sort()).toEqual(
      [prod, staging].map((e) => [org.issuer, subject(e), [`azure:${org.id}`]]).sort(),
    )

    const ok = await exchange(await azureToken(prod))
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.token_type).toBe('Bearer')
    expect(ok.body.access_token.split('.')).toHaveLength(3)
  })

  it('is idempotent, and an environment added later is refused until setup runs again', async () => {
    const later = await environment('later')
    const refused = await exchange(await azureToken(later))
    expect(refused.status).toBe(401)
    expect(refused.body.error_description).toMatch(
      /^AADSTS700213: No matching federated identity record found for presented assertion subject/u,
    )

    const again = await runTrustCli(setupArgs())
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout.match(/: kept /gu)).toHaveLength(2)
    expect(again.stdout.match(/: created /gu)).toHaveLength(1)
    expect(again.stdout).toContain(`${appId}: 3 of 20 federated identity credentials`)
    const ok = await exchange(await azureToken(later))
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
  })

  it('refuses with the reason and writes nothing when the admin token is wrong', async () => {
    const r = await runTrustCli([...setupArgs().slice(0, -1), 'wrong'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/→ 401/u)
    expect(r.stderr).not.toContain('wrong')
  })
})
