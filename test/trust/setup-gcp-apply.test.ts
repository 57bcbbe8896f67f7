/**
 * `applyGcpSetup` against the Google emulator: creates the pool, the provider and the
 * workloadIdentityUser binding, keeps them on a second run (no write), and the organization's
 * tokens — only its — exchange at STS and impersonate the service account. A provider that
 * exists but differs refuses the plan with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyGcpSetup,
  planGcpSetup,
  type GcpConnection,
  type GcpSetupInput,
} from '../../src/trust/index.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../../src/shared/subject-template.js'
import { startGcpHarness, type GcpHarness } from '../emulator/gcp/harness.js'

const ORG = 'org_gcpapply0000001'
const N = '123456789012'
const SA = 'deployer@proj.iam.gserviceaccount.com'
let h: GcpHarness
let connection: GcpConnection

beforeAll(async () => {
  h = await startGcpHarness()
  connection = { url: h.origin, token: 'test' }
  const sa = await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'deployer' })
  if (sa.status !== 200) throw new Error(sa.text)
})
afterAll(async () => {
  await h?.close()
})

const input = (poolId: string, patch: Partial<GcpSetupInput> = {}): GcpSetupInput => ({
  organizationId: ORG,
  issuer: h.issuer.url,
  credentials: [
    {
      credentialId: 'crd_1',
      name: 'gcp',
      projectNumber: N,
      gcpProjectId: 'proj',
      poolId,
      providerId: 'keyless',
      serviceAccountEmail: SA,
      audience: `gcp:${ORG}`,
      subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
      scopes: [{ projectId: 'prj_1', environmentId: 'env_1' }],
    },
  ],
  ...patch,
})
const writes = () => h.seen.filter((s) => !s.startsWith('GET') && !s.endsWith(':getIamPolicy'))
const audience = (pool: string) =>
  `//iam.googleapis.com/projects/${N}/locations/global/workloadIdentityPools/${pool}/providers/keyless`

async function impersonate(pool: string, organizationId: string): Promise<number> {
  const token = await h.mint({
    sub: `org:${organizationId}:project:prj_1:environment:env_1:type:deploy`,
    aud: `gcp:${ORG}`,
    organizationId,
    projectId: 'prj_1',
    environmentId: 'env_1',
  })
  const sts = await h.exchange(token, { audience: audience(pool) })
  if (sts.status !== 200) return sts.status
  return (await h.generate(String(sts.json.access_token), SA)).status
}

describe('setup gcp --apply', () => {
  it('creates, then keeps without writing; the organization impersonates, another does not', async () => {
    const first = await applyGcpSetup(planGcpSetup(input('pool-a')), connection)
    expect(first.lines).toEqual([
      `created pool projects/${N}/locations/global/workloadIdentityPools/pool-a`,
      `created provider projects/${N}/locations/global/workloadIdentityPools/pool-a/providers/keyless`,
      `granted roles/iam.workloadIdentityUser to principalSet://iam.googleapis.com/projects/${N}/locations/global/workloadIdentityPools/pool-a/attribute.organization/${ORG} on ${SA}`,
    ])
    const before = writes().length
    const second = await applyGcpSetup(planGcpSetup(input('pool-a')), connection)
    expect(second.lines.every((l) => l.startsWith('kept '))).toBe(true)
    expect(second.lines).toHaveLength(3)
    expect(writes()).toHaveLength(before)
    expect(await impersonate('pool-a', ORG)).toBe(200)
    expect(await impersonate('pool-a', 'org_someoneelse0001')).not.toBe(200)
  })

  it('per environment: adds to the policy, keeping the bindings already there', async () => {
    await applyGcpSetup(planGcpSetup(input('pool-b', { perEnvironment: true })), connection)
    const policy = await h.admin('POST', `/v1/projects/-/serviceAccounts/${SA}:getIamPolicy`, {})
    const members: string[] = policy.json.bindings[0].members
    expect(members.map((m) => m.split('/').slice(-3).join('/'))).toEqual([
      `pool-a/attribute.organization/${ORG}`,
      'pool-b/attribute.environment/env_1',
    ])
    expect(await impersonate('pool-b', ORG)).toBe(200)
  })

  it('a provider that differs refuses the plan, nothing written', async () => {
    const pool = await h.admin(
      'POST',
      `/v1/projects/${N}/locations/global/workloadIdentityPools?workloadIdentityPoolId=pool-c`,
      {},
    )
    expect(pool.status).toBe(200)
    await h.provider('keyless', { oidc: { issuerUri: h.issuer.url } }, 'pool-c')
    const before = writes().length
    await expect(applyGcpSetup(planGcpSetup(input('pool-c')), connection)).rejects.toThrow(
      /exists but allowedAudiences lacks gcp:org_gcpapply0000001; attributeMapping differs; attributeCondition is not .*nothing was written/su,
    )
    expect(writes()).toHaveLength(before)
  })

  it('a missing service account refuses the plan', async () => {
    const i = input('pool-d')
    const c = { ...i.credentials[0]!, serviceAccountEmail: 'nobody@proj.iam.gserviceaccount.com' }
    await expect(
      applyGcpSetup(planGcpSetup({ ...i, credentials: [c] }), connection),
    ).rejects.toThrow(
      'service account nobody@proj.iam.gserviceaccount.com does not exist: create it first (gcloud iam service-accounts create nobody --project=proj; at the Google emulator: POST /v1/projects/proj/serviceAccounts {"accountId":"nobody"})',
    )
  })
})
