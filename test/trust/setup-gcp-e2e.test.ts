/**
 * `keyless setup gcp --apply` against a real `keyless emulator` process (and a real `keyless
 * server`): the pool, provider and binding it creates through the emulator's IAM API let a
 * keyless-minted gcp token exchange at STS and impersonate the service account; applying again
 * keeps everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { post } from '../../src/runner/clouds/http.js'
import { GCP_PROJECT_ID, GCP_PROJECT_NUMBER } from '../e2e/support/gcp-world.js'
import { startStack, type Json, type Stack } from '../e2e/support/stack.js'
import { createOrg, type Org } from '../e2e/support/world.js'
import { runTrustCli } from './cli-harness.js'

let stack: Stack
let org: Org
let environmentId = ''
let email = ''
const POOL = 'setup-gcp-pool'
const AUDIENCE = `//iam.googleapis.com/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${POOL}/providers/keyless`

async function google(path: string, body: string, headers: Record<string, string>) {
  const res = await post(`${stack.gcpUrl}${path}`, body, { headers })
  let json: Json = {}
  try {
    json = JSON.parse(res.body)
  } catch {
    json = {}
  }
  return { status: res.status, json, text: res.body }
}

/** A keyless-minted gcp token of a queued deployment, exchanged at STS, then impersonating. */
async function impersonate(): Promise<{ sts: number; generate: number }> {
  const d = await stack.api('POST', `/api/v1/environments/${environmentId}/deployments`, {
    type: 'deploy',
  })
  const minted = await stack.api('POST', `/api/v1/deployments/${d.id}/oidc-token`, {
    cloud: 'gcp',
  })
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    audience: AUDIENCE,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token: String(minted.token),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  })
  const sts = await google('/v1/token', form.toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  })
  if (sts.status !== 200) return { sts: sts.status, generate: 0 }
  const generate = await google(
    `/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    JSON.stringify({ scope: ['https://www.googleapis.com/auth/cloud-platform'] }),
    {
      'content-type': 'application/json',
      authorization: `Bearer ${String(sts.json.access_token)}`,
    },
  )
  return { sts: sts.status, generate: generate.status }
}

const setupArgs = (): string[] => [
  'setup',
  'gcp',
  '--organization',
  org.id,
  '--server',
  stack.serverUrl,
  '--api-key',
  stack.adminKey,
  '--apply',
  '--endpoint-url',
  stack.gcpUrl,
  '--admin-token',
  'test',
]

beforeAll(async () => {
  stack = await startStack()
  org = await createOrg(stack, 'setup-gcp')
  const sa = await google(
    `/v1/projects/${GCP_PROJECT_ID}/serviceAccounts`,
    JSON.stringify({ accountId: 'setup-deployer' }),
    { authorization: 'Bearer test', 'content-type': 'application/json' },
  )
  if (sa.status !== 200) throw new Error(sa.text)
  email = String(sa.json.email)
  const projectId = (
    await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
  ).id
  const templateId = (
    await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
      name: 't',
      type: 'custom',
      steps: [{ name: 'noop', run: 'true' }],
    })
  ).id
  environmentId = (
    await stack.api('POST', `/api/v1/projects/${projectId}/environments`, {
      name: 'prod',
      templateId,
    })
  ).id
  const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    type: 'gcp-oidc',
    name: 'gcp',
    projectNumber: GCP_PROJECT_NUMBER,
    gcpProjectId: GCP_PROJECT_ID,
    poolId: POOL,
    providerId: 'keyless',
    serviceAccountEmail: email,
    stsEndpoint: stack.gcpUrl,
    iamCredentialsEndpoint: stack.gcpUrl,
  })
  await stack.api('PUT', `/api/v1/projects/${projectId}/credentials/${credential.id}`)
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

describe('setup gcp --apply on the Google emulator', { timeout: 60_000 }, () => {
  it('before setup the exchange is refused; after it, a minted token impersonates', async () => {
    expect((await impersonate()).sts).not.toBe(200)
    const r = await runTrustCli(setupArgs())
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      `created provider projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${POOL}/providers/keyless`,
    )
    expect(r.stdout).toContain(`granted roles/iam.workloadIdentityUser to principalSet://`)
    expect(await impersonate()).toEqual({ sts: 200, generate: 200 })
  })

  it('is idempotent', async () => {
    const again = await runTrustCli(setupArgs())
    expect(again.code, again.stderr).toBe(0)
    expect(
      again.stdout
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => l.startsWith('kept ')),
    ).toBe(true)
    expect(again.stdout.match(/^kept /gmu)).toHaveLength(3)
    expect(await impersonate()).toEqual({ sts: 200, generate: 200 })
  })

  it('refuses with the reason when the admin token is wrong, without echoing it', async () => {
    const r = await runTrustCli([...setupArgs().slice(0, -1), 'wrong-token'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/→ 401/u)
    expect(r.stderr).not.toContain('wrong-token')
  })
})
