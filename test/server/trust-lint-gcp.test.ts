/**
 * `POST /api/v1/organizations/{id}/trust/lint-gcp`: the workload-identity lint over pasted IAM v1
 * JSON with the organization's id and audience — a provider without a condition is GCP01, the
 * provider keyless setup gcp writes passes, one without the audience is GCP04; text that is not a
 * provider is a 400 naming `providers`; another organization's key is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let other: Awaited<ReturnType<typeof seed>>

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  other = await seed(h, 'globex')
})
afterAll(async () => {
  await h.close()
})

const provider = (org: string, patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: 'projects/1/locations/global/workloadIdentityPools/p/providers/keyless',
    oidc: { issuerUri: h.idp.issuer, allowedAudiences: [`gcp:${org}`] },
    attributeMapping: {
      'google.subject': 'assertion.sub',
      'attribute.organization': 'assertion.organizationId',
    },
    attributeCondition: `assertion.organizationId == '${org}'`,
    ...patch,
  })

const lint = (body: unknown, key = s.keys.viewer, org = s.org.id) =>
  h.call('POST', `/api/v1/organizations/${org}/trust/lint-gcp`, { body, key })

const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  ['the provider keyless setup gcp writes', {}, []],
  ['no attribute condition', { attributeCondition: undefined }, ['GCP01']],
  [
    'a condition on the deployer only',
    { attributeCondition: "assertion.deployerEmail == 'a@b'" },
    ['GCP02'],
  ],
  ['the audience not allowed', { oidc: { allowedAudiences: ['sts.amazonaws.com'] } }, ['GCP04']],
]

describe('POST /organizations/{id}/trust/lint-gcp', () => {
  it.each(CASES)('%s', async (_name, patch, rules) => {
    const r = await lint({ providers: provider(s.org.id, patch) })
    expect(r.statusCode, r.body).toBe(200)
    const ids = r.json().findings.filter((f: { severity: string }) => f.severity !== 'info')
    expect(ids.map((f: { ruleId: string }) => f.ruleId)).toEqual(rules)
    expect(r.json().summary.errors + r.json().summary.warnings).toBe(rules.length)
  })

  it('GCP01 says which provider and how to fix it', async () => {
    const r = await lint({ providers: provider(s.org.id, { attributeCondition: undefined }) })
    const [f] = r.json().findings
    expect(f).toMatchObject({
      ruleId: 'GCP01',
      severity: 'error',
      statement: 'projects/1/locations/global/workloadIdentityPools/p/providers/keyless',
      key: 'attributeCondition',
      line: null,
    })
    expect(f.fix).toContain(s.org.id)
  })

  it('an explicit audience replaces gcp:<organizationId>', async () => {
    const r = await lint({ providers: provider(s.org.id), audience: 'custom-aud' })
    expect(r.json().findings.map((f: { ruleId: string }) => f.ruleId)).toContain('GCP04')
  })

  it('text that is not a provider is a 400 naming providers; another organization is a 404', async () => {
    for (const providers of ['not json', '{"bindings": 3}', '']) {
      const r = await lint({ providers })
      expect(r.statusCode, providers).toBe(400)
      expect(r.json().error.code).toBe('validation_failed')
      expect(r.json().error.details.fields[0].path).toMatch(/providers$/u)
    }
    expect((await lint({ providers: provider(s.org.id) }, other.keys.viewer)).statusCode).toBe(404)
  })
})
