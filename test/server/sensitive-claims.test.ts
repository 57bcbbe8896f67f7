/**
 * Sensitive variables stay hidden in everything that shows claims: the oidc-preview, the trust
 * explanation and the deployment's `lastTokenClaims` show `<sensitive>` to every role (a viewer
 * here), while the minted token itself carries the value.
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SENSITIVE } from '../../src/shared/redact.js'
import { seed, startHarness, type Harness } from './harness.js'

const TAG = 'tag-secret-7f3a9c'
const ROLE = 'arn:aws:iam::123456789012:role/secret-override'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>

beforeAll(async () => {
  h = await startHarness()
  s = await seed(h)
  for (const [name, value] of [
    ['KEYLESS_OIDC_TAG', TAG],
    ['KEYLESS_AWS_ROLE_ARN', ROLE],
  ])
    expect(
      (
        await h.call('PUT', `/api/v1/environments/${s.environment.id}/variables/${name}`, {
          key: s.keys.admin,
          body: { value, sensitive: true },
        })
      ).statusCode,
    ).toBe(201)
})
afterAll(async () => {
  await h.close()
})

const hidden = (body: string) => {
  expect(body).not.toContain(TAG)
  expect(body).not.toContain(ROLE)
}

describe('sensitive values in claims', () => {
  it('oidc-preview shows <sensitive> for the userTag claim, the session tag and the role', async () => {
    const res = await h.call('GET', `/api/v1/environments/${s.environment.id}/oidc-preview`, {
      key: s.keys.viewer,
    })
    expect(res.statusCode).toBe(200)
    hidden(res.body)
    const body = res.json()
    expect(body.claims.userTag).toBe(SENSITIVE)
    expect(body.claims['https://aws.amazon.com/tags'].principal_tags.userTag).toEqual([SENSITIVE])
    expect(body.roleArn).toBe(SENSITIVE)
  })

  it('trust/explain evaluates the real value but never shows it', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/127.0.0.1:8080' },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: { StringEquals: { 'aws:RequestTag/userTag': TAG } },
        },
      ],
    }
    const res = await h.call('POST', `/api/v1/environments/${s.environment.id}/trust/explain`, {
      key: s.keys.viewer,
      body: { trustPolicy: JSON.stringify(policy) },
    })
    expect(res.statusCode).toBe(200)
    hidden(res.body)
    const body = res.json()
    expect(body.claims.userTag).toBe(SENSITIVE)
    const tagCondition = body.statements[0].conditions.find(
      (c: { key: string }) => c.key === 'aws:RequestTag/userTag',
    )
    expect(tagCondition).toMatchObject({ passed: true, tokenValue: [SENSITIVE] })
  })

  it('the deployment keeps <sensitive> in lastTokenClaims; the token has the value', async () => {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
        key: s.keys.deployer,
      })
    ).json()
    const mint = await h.call('POST', `/api/v1/deployments/${dep.id}/oidc-token`, {
      key: s.keys.admin,
    })
    expect(mint.statusCode).toBe(200)
    expect(decodeJwt(mint.json().token)['userTag']).toBe(TAG)
    const res = await h.call('GET', `/api/v1/deployments/${dep.id}`, { key: s.keys.viewer })
    expect(res.statusCode).toBe(200)
    hidden(res.body)
    expect(res.json().lastTokenClaims.userTag).toBe(SENSITIVE)
    const audit = await h.call('GET', `/api/v1/organizations/${s.org.id}/audit`, {
      key: s.keys.admin,
    })
    hidden(audit.body)
  })
})
