/* eslint-disable @typescript-eslint/no-explicit-any -- JSON and XML bodies are untyped */
/**
 * The decision log (`GET /_keyless/decisions`), health, and what goes to the server log: one line
 * per decision, never a token, secret or session token.
 */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { ManualClock, systemClock } from '../../src/shared/clock.js'
import { createLogger } from '../../src/shared/logger.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import {
  ACCOUNT,
  ADMIN,
  allowP,
  readReply,
  signForm,
  startHarness,
  type Harness,
} from './harness.js'

describe('decision log', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
    await h.setup({
      trust: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/PLACEHOLDER` },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
    })
  })
  afterAll(async () => {
    await h.close()
  })

  it('keeps allowed and denied decisions, newest first, with the explanation and no token', async () => {
    await h.trust([
      allowP(h, { StringEquals: { [`${h.issuer.host}:sub`]: 'repo:org/app' } }, [
        'sts:AssumeRoleWithWebIdentity',
        'sts:TagSession',
      ]),
    ])
    const okToken = await h.issuer.mint({
      sub: 'repo:org/app',
      'https://aws.amazon.com/tags': { principal_tags: { team: ['infra'] } },
    })
    expect((await h.assume(okToken)).status).toBe(200)
    const badToken = await h.issuer.mint({ sub: 'repo:org/other' })
    const denied = await h.assume(badToken)
    expect(denied.code).toBe('AccessDenied')
    expect(denied.body).not.toMatch(/repo:org|StringEquals|Statement/u)
    await h.assume(badToken, { RoleArn: `arn:aws:iam::${ACCOUNT}:role/Other` })

    const res = await h.app.inject({ method: 'GET', url: '/_keyless/decisions' })
    expect(res.statusCode).toBe(200)
    const { decisions } = res.json<{ decisions: Array<Record<string, any>> }>()
    expect(decisions.map((d) => d['decision'])).toEqual(['denied', 'denied', 'allowed'])
    const [other, deny, allow] = decisions as [
      Record<string, any>,
      Record<string, any>,
      Record<string, any>,
    ]
    expect(other['roleArn']).toBe(`arn:aws:iam::${ACCOUNT}:role/Other`)
    expect(deny).toMatchObject({
      action: 'AssumeRoleWithWebIdentity',
      roleArn: h.roleArn,
      decision: 'denied',
      errorCode: 'AccessDenied',
    })
    expect(deny['token']).toMatchObject({
      iss: h.issuer.url,
      aud: 'sts.amazonaws.com',
      sub: 'repo:org/other',
    })
    expect(deny['explanation']).toMatch(/repo:org\/app/u)
    expect(deny['explanation']).toMatch(/repo:org\/other/u)
    expect(allow).toMatchObject({ decision: 'allowed', errorCode: null })
    expect(allow['token']['tags']).toEqual([{ key: 'team', value: 'infra' }])
    expect(Date.parse(allow['time'])).not.toBeNaN()
    const text = res.body
    for (const t of [okToken, badToken]) {
      expect(text).not.toContain(t)
      expect(text).not.toContain(t.split('.')[2])
    }

    const filtered = await h.app.inject({
      method: 'GET',
      url: `/_keyless/decisions?roleArn=${encodeURIComponent(h.roleArn)}`,
    })
    expect(filtered.json<{ decisions: unknown[] }>().decisions).toHaveLength(2)
  })

  it('explains a decision against the trust policy it was made with, after the policy changed', async () => {
    const sub = `${h.issuer.host}:sub`
    await h.trust([allowP(h, { StringLike: { [sub]: 'repo:org/*' } })])
    const token = await h.issuer.mint({ sub: 'repo:org/kept' })
    expect((await h.assume(token)).status).toBe(200)
    await h.trust([allowP(h, { StringEquals: { [sub]: 'repo:org/changed' } })])
    expect((await h.assume(token)).code).toBe('AccessDenied')

    const res = await h.app.inject({ method: 'GET', url: '/_keyless/decisions' })
    const [now, then] = res.json<{ decisions: Array<Record<string, any>> }>().decisions as [
      Record<string, any>,
      Record<string, any>,
    ]
    expect(then['decision']).toBe('allowed')
    const kept = String(then['explanation']).split('\n')
    expect(kept).toContain(
      `trust policy of ${h.roleArn}: ${kept[kept.indexOf('decision: Allowed') + 1]}`,
    )
    expect(
      kept.some((l) =>
        /met: +StringLike .*:sub: request `repo:org\/kept`; policy `repo:org\/\*`/u.test(l),
      ),
    ).toBe(true)
    expect(kept.at(-1)).toMatch(/^issued ASIA[A-Z2-7]{16} for 3600 s$/u)
    expect(String(then['explanation'])).not.toContain('repo:org/changed')
    expect(now['decision']).toBe('denied')
    expect(String(now['explanation'])).toContain('repo:org/changed')
    expect(String(now['explanation']).split('\n').at(-1)).toMatch(/^→ AccessDenied: /u)
  })

  it('answers health', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/_keyless/health' })
    expect(res.json()).toEqual({ ok: true })
  })
})

describe('server log', () => {
  let issuer: TestIssuer
  let app: Emulator
  let lines: string[]
  beforeAll(async () => {
    lines = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((l) => l !== ''),
        )
        done()
      },
    })
    const clock = new ManualClock(Math.floor(systemClock.now().getTime() / 1000) * 1000)
    issuer = await startTestIssuer({ clock })
    app = await buildEmulator(
      { accountId: ACCOUNT, ...ADMIN },
      { clock, logger: createLogger({ level: 'debug' }, sink) },
    )
  })
  afterAll(async () => {
    await app.close()
    await issuer.close()
  })

  it('writes one line per decision and never a token or credential', async () => {
    const h = { issuer }
    const iam = async (params: Record<string, string>) => {
      const body = new URLSearchParams({ Version: '2010-05-08', ...params }).toString()
      const headers = await signForm(body, { service: 'iam', creds: ADMIN })
      return app.inject({ method: 'POST', url: '/', headers, payload: body })
    }
    await iam({
      Action: 'CreateOpenIDConnectProvider',
      Url: issuer.url,
      'ClientIDList.member.1': 'sts.amazonaws.com',
    })
    await iam({
      Action: 'CreateRole',
      RoleName: 'R',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${h.issuer.host}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      }),
    })
    const token = await issuer.mint()
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/R`,
      RoleSessionName: 's1',
      WebIdentityToken: token,
    }).toString()
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    })
    const out = readReply(res.statusCode, res.headers, res.body).result!
    await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.replace('RoleSessionName=s1', 'RoleSessionName=x%3Ay'),
    })
    const log = lines.join('\n')
    expect(lines.filter((l) => l.includes('AssumeRoleWithWebIdentity allowed'))).toHaveLength(1)
    expect(lines.filter((l) => l.includes('AssumeRoleWithWebIdentity denied'))).toHaveLength(1)
    for (const secret of [
      token,
      token.split('.')[2]!,
      out['Credentials']['SecretAccessKey'],
      out['Credentials']['SessionToken'],
      ADMIN.secretAccessKey,
    ])
      expect(log).not.toContain(secret)
  })
})
