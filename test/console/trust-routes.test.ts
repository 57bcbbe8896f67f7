import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ISSUER, seed, startHarness, type Harness } from '../server/harness.js'

/**
 * The routes the console's OIDC page and trust playground use (src/server/routes/trust/),
 * through `inject()` with the real store, identity provider and trust tools.
 */
describe('console trust routes', () => {
  let h: Harness
  let s: Awaited<ReturnType<typeof seed>>
  let other: Awaited<ReturnType<typeof seed>>
  const prefix = ISSUER.replace(/^https?:\/\//u, '')

  beforeAll(async () => {
    h = await startHarness()
    s = await seed(h, 'acme')
    other = await seed(h, 'globex')
  })
  afterAll(async () => {
    await h.close()
  })

  const setup = async (query: string, key?: string) =>
    h.call(
      'GET',
      `/api/v1/organizations/${s.org.id}/setup?${query}`,
      key === undefined ? {} : { key },
    )

  it('generates the setup in every format, the JSON trust policy alone without an account id', async () => {
    const json = await setup('format=json&roleName=deployer')
    expect(json.statusCode).toBe(200)
    const body = json.json()
    expect(body.format).toBe('json')
    expect(JSON.parse(body.content)).toEqual(body.trustPolicy)
    expect(body.content).toContain('${ACCOUNT_ID}')
    expect(JSON.stringify(body.trustPolicy)).toContain(`${prefix}:aud`)
    const terraform = (await setup('format=terraform&roleName=deployer')).json()
    expect(terraform.content).toContain('resource "aws_iam_openid_connect_provider"')
    const cfn = (await setup('format=cloudformation&roleName=deployer')).json()
    expect(cfn.content).toContain('AWS::IAM::OIDCProvider')
    const bad = await setup('format=json&roleName=' + encodeURIComponent('no spaces allowed'))
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details.fields[0].path).toBe('roleName')
    const format = await setup('format=pulumi')
    expect(format.statusCode).toBe(400)
  })

  it('lints with the organization’s issuer and audience; unreadable text names the policy field', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${prefix}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${prefix}:sub`]: '*' } },
        },
      ],
    }
    const res = await h.call('POST', `/api/v1/organizations/${s.org.id}/trust/lint`, {
      body: { policy: JSON.stringify(policy, null, 2) },
    })
    expect(res.statusCode).toBe(200)
    const ids = res.json().findings.map((f: { ruleId: string }) => f.ruleId)
    expect(ids).toEqual(expect.arrayContaining(['L02', 'L04']))
    expect(res.json().summary.errors).toBeGreaterThan(0)
    const garbage = await h.call('POST', `/api/v1/organizations/${s.org.id}/trust/lint`, {
      body: { policy: '{ not json' },
    })
    expect(garbage.statusCode).toBe(400)
    expect(garbage.json().error.details.fields).toEqual([
      { path: 'policy', message: expect.stringContaining('not JSON') },
    ])
  })

  it('explains the environment’s next token: allowed by the generated policy, denied by a foreign sub', async () => {
    const generated = (await setup('format=json&roleName=deploy&accountId=123456789012')).json()
    const url = `/api/v1/environments/${s.environment.id}/trust/explain`
    const ok = await h.call('POST', url, {
      body: { trustPolicy: JSON.stringify(generated.trustPolicy) },
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({
      decision: 'allowed',
      awsError: null,
      assumedRoleArn: expect.stringMatching(/^arn:aws:sts::123456789012:assumed-role\/deploy\//u),
      signatureChecked: false,
      roleSource: 'credential',
    })
    expect(ok.json().claims.sub).toContain(s.environment.id)

    const foreign = structuredClone(generated.trustPolicy)
    const cond = foreign.Statement[0].Condition
    const op = cond.StringLike === undefined ? 'StringEquals' : 'StringLike'
    cond[op][`${prefix}:sub`] = `org:${other.org.id}:*`
    const denied = await h.call('POST', url, { body: { trustPolicy: JSON.stringify(foreign) } })
    expect(denied.statusCode).toBe(200)
    const d = denied.json()
    expect(d.decision).toBe('denied')
    expect(d.awsError).toEqual({
      code: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    })
    const failing = d.statements.flatMap(
      (st: { conditions: Array<{ key: string; passed: boolean }> }) => st.conditions,
    )
    expect(failing).toContainEqual(expect.objectContaining({ key: `${prefix}:sub`, passed: false }))
    expect(d.failing[0].key).toBe(`${prefix}:sub`)

    const long = await h.call('POST', url, {
      body: {
        trustPolicy: JSON.stringify(generated.trustPolicy),
        durationSeconds: 7200,
        maxSessionDuration: 3600,
      },
    })
    expect(long.json().awsError.code).toBe('ValidationError')

    const notJson = await h.call('POST', url, { body: { trustPolicy: '[' } })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.json().error.details.fields[0].path).toBe('trustPolicy')
  })

  it('answers no thumbprint for a loopback http issuer, with the reason', async () => {
    const res = await h.call('GET', `/api/v1/organizations/${s.org.id}/thumbprint`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ thumbprint: null, message: expect.stringContaining('http') })
  })

  it('keeps organizations apart: another organization’s key gets 404, no key gets 401', async () => {
    const foreign = { key: other.keys.admin }
    expect(
      (await h.call('GET', `/api/v1/organizations/${s.org.id}/setup`, foreign)).statusCode,
    ).toBe(404)
    expect(
      (
        await h.call('POST', `/api/v1/organizations/${s.org.id}/trust/lint`, {
          ...foreign,
          body: { policy: '{}' },
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (
        await h.call('POST', `/api/v1/environments/${s.environment.id}/trust/explain`, {
          ...foreign,
          body: { trustPolicy: '{}' },
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (await h.call('GET', `/api/v1/organizations/${s.org.id}/thumbprint`, { key: null }))
        .statusCode,
    ).toBe(401)
  })
})
