import { describe, expect, it } from 'vitest'
import { explainGcpDecision, type GcpExplainInput } from './explain.js'

const NAME = 'projects/123/locations/global/workloadIdentityPools/kl-pool/providers/kl-oidc'
const NOW = Date.UTC(2026, 0, 1)
const t = Math.floor(NOW / 1000)
const provider: GcpExplainInput['provider'] = {
  name: NAME,
  attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.env': 'assertion.environment' },
  attributeCondition: "assertion.organizationId == 'org-1'",
  oidc: { issuerUri: 'https://keyless.example' },
}
const claims = {
  iss: 'https://keyless.example',
  aud: `//iam.googleapis.com/${NAME}`,
  sub: 'env:prod',
  environment: 'prod',
  organizationId: 'org-1',
  iat: t,
  exp: t + 600,
}
const policy = {
  version: 1,
  etag: 'x',
  bindings: [
    {
      role: 'roles/iam.workloadIdentityUser',
      members: [
        'principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/kl-pool/attribute.env/prod',
      ],
    },
  ],
}

describe('explainGcpDecision (offline, for keyless explain and lint)', () => {
  it('allows, naming each mapped attribute, the principals and the binding that lets it through', () => {
    const e = explainGcpDecision({
      provider,
      claims,
      nowMs: NOW,
      serviceAccountEmail: 'deploy@proj.iam.gserviceaccount.com',
      policy,
    })
    expect(e.decision).toBe('allowed')
    expect(e.mapping.map((m) => [m.key, m.value])).toEqual([
      ['google.subject', 'env:prod'],
      ['attribute.env', 'prod'],
    ])
    expect(e.principals).toContain(
      'principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/kl-pool/subject/env:prod',
    )
    expect(e.binding).toMatchObject({ allowed: true, role: 'roles/iam.workloadIdentityUser' })
    expect(e.steps.find((s) => s.step === 'signature')).toBeUndefined()
  })

  it('denies by the condition, naming it', () => {
    const e = explainGcpDecision({
      provider,
      claims: { ...claims, organizationId: 'org-2' },
      nowMs: NOW,
    })
    expect(e.decision).toBe('denied')
    expect(e.failure).toMatchObject({ error: 'unauthorized_client', reason: 'condition-rejected' })
    expect(e.lines.join('\n')).toContain(
      "condition assertion.organizationId == 'org-1': the condition is false",
    )
  })

  it('denies for a missing binding, saying which binding is missing', () => {
    const e = explainGcpDecision({
      provider,
      claims: { ...claims, environment: 'dev' },
      nowMs: NOW,
      serviceAccountEmail: 'deploy@proj.iam.gserviceaccount.com',
      policy,
    })
    expect(e.decision).toBe('denied')
    expect(e.failure).toMatchObject({ error: 'PERMISSION_DENIED' })
    expect(e.lines.join('\n')).toContain('missing binding: roles/iam.workloadIdentityUser')
  })

  it('runs every step offline and reports the first failure (subject over 127 bytes)', () => {
    const e = explainGcpDecision({
      provider,
      claims: { ...claims, sub: 'x'.repeat(128) },
      nowMs: NOW,
    })
    expect(e.failure).toMatchObject({ error: 'invalid_request', reason: 'subject-too-long' })
    expect(e.steps.map((s) => s.step)).toContain('condition')
  })

  it('a provider Google would refuse is a providerProblem, not a throw', () => {
    const e = explainGcpDecision({
      provider: { ...provider, attributeCondition: 'assertion.sub' },
      claims,
      nowMs: NOW,
    })
    expect(e.decision).toBe('denied')
    expect(e.providerProblem).toContain('does not evaluate to a boolean')
  })

  it('takes a token instead of claims (its signature is not checked)', () => {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
    const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2ln`
    expect(explainGcpDecision({ provider, token, nowMs: NOW }).decision).toBe('allowed')
  })
})

const SA = 'deploy@proj.iam.gserviceaccount.com'
const results: ReadonlyArray<[string, Partial<GcpExplainInput>, string]> = [
  [
    'allowed through the binding',
    { serviceAccountEmail: SA, policy },
    `Result: allowed; STS issues a federated token and IAM Credentials an access token for ${SA}`,
  ],
  [
    'allowed by STS, impersonation not asked',
    {},
    'Result: allowed; STS issues a federated token (impersonation not checked: add --service-account)',
  ],
  [
    'denied by the condition',
    { claims: { ...claims, organizationId: 'org-2' } },
    'Result: denied; STS answers unauthorized_client (HTTP 400): The given credential is rejected by the attribute condition.',
  ],
  [
    'denied for a missing binding',
    { claims: { ...claims, environment: 'dev' }, serviceAccountEmail: SA, policy },
    "Result: denied; generateAccessToken answers PERMISSION_DENIED (HTTP 403): Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
  ],
]

describe('the text of keyless explain --cloud gcp', () => {
  it.each(results)('ends with what Google answers: %s', (_name, input, last) => {
    const e = explainGcpDecision({ provider, claims, nowMs: NOW, ...input })
    expect(e.lines.at(-1)).toBe(last)
  })

  it("counts google.subject against Google's 127 bytes, apart from the whole mapping", () => {
    const sub = 'é'.repeat(10)
    const e = explainGcpDecision({ provider, claims: { ...claims, sub }, nowMs: NOW })
    const mapped = 'google.subject'.length + 20 + 'attribute.env'.length + 'prod'.length
    expect(e.lines).toContain(
      `google.subject "${sub}": 20 of 127 bytes (all mapped attributes: ${mapped} of 8192)`,
    )
  })
})
