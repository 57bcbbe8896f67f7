/**
 * Runs the attack corpus (attack-corpus.ts) against the emulator over real HTTP: every case's
 * token is sent to AssumeRoleWithWebIdentity and the answer must be exactly AWS's (status, code,
 * message). The corpus issuers are IAM OIDC providers of the emulator's account; `open` trusts
 * any of them without conditions, `strict` is the role `keyless setup aws` writes for
 * organization STRICT_ORG, `webonly` lacks sts:TagSession and sts:SetSourceIdentity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { ManualClock } from '../../src/shared/clock.js'
import { planSetup } from '../../src/trust/setup/trust-policy.js'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { ADMIN, form, readReply, type Reply } from '../emulator/harness.js'
import {
  attackCases,
  CORPUS_TIMEOUT_MS,
  issuerBehaviours,
  OTHER_ORG,
  STRICT_ORG,
  type AttackCase,
} from './attack-corpus.js'
import { CorpusKeys, startCorpusIssuers, type CorpusIssuers } from './support/corpus-issuer.js'
import { craft, type CraftContext } from './support/craft.js'

const ACCOUNT = '111122223333'
/** A fixed time (2026-09-21T…), so expiry messages are exact. */
const NOW = 1_790_000_000

describe('attack corpus against the emulator (real HTTP)', () => {
  let emulator: Emulator
  let endpoint: string
  let issuers: CorpusIssuers
  let ctx: CraftContext

  async function call(body: string, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
      body,
    })
    const out: Record<string, unknown> = {}
    res.headers.forEach((v, k) => (out[k] = v))
    return readReply(res.status, out, await res.text())
  }

  /** The message exactly as sent (the XML reader trims, and some messages end in a space). */
  function messageOf(body: string): string | undefined {
    const m = /<Message>([\s\S]*?)<\/Message>/u.exec(body)
    return m?.[1]
      ?.replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&apos;', "'")
      .replaceAll('&amp;', '&')
  }

  async function iam(params: Record<string, string>): Promise<void> {
    const body = form({ Version: '2010-05-08', ...params })
    const url = new URL(endpoint)
    const signed = await new SignatureV4({
      service: 'iam',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: ADMIN,
    }).sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        body,
      }),
      { signingDate: new Date(NOW * 1000) },
    )
    const { host: _host, ...headers } = signed.headers
    const r = await call(body, headers)
    if (r.status !== 200) throw new Error(`IAM ${params['Action']}: ${r.body}`)
  }

  async function role(name: string, policy: unknown): Promise<void> {
    await iam({
      Action: 'CreateRole',
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify(policy),
    })
  }

  beforeAll(async () => {
    const keys = new CorpusKeys()
    issuers = await startCorpusIssuers(keys, issuerBehaviours)
    ctx = { now: NOW, keys, url: (name) => issuers.url(name) }
    emulator = await buildEmulator(
      { accountId: ACCOUNT, ...ADMIN, jwksTimeoutMs: CORPUS_TIMEOUT_MS },
      { clock: new ManualClock(NOW * 1000) },
    )
    endpoint = `${await emulator.listen({ port: 0, host: '127.0.0.1' })}/`
    for (const name of ['good', ...Object.keys(issuerBehaviours)])
      await iam({
        Action: 'CreateOpenIDConnectProvider',
        Url: issuers.url(name),
        'ClientIDList.member.1': 'sts.amazonaws.com',
        'ClientIDList.member.2': `aws:${STRICT_ORG}`,
        'ClientIDList.member.3': `aws:${OTHER_ORG}`,
      })
    const actions = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity']
    await role('open', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: actions }],
    })
    const plan = planSetup({
      organizationId: STRICT_ORG,
      issuer: issuers.url('good'),
      audience: `aws:${STRICT_ORG}`,
      sessionTags: true,
      roleName: 'strict',
      accountId: ACCOUNT,
    })
    await role('strict', plan.trustPolicy)
    await role('webonly', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${plan.providerUrl}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ],
    })
  })

  afterAll(async () => {
    await emulator?.close()
    await issuers?.close()
  })

  it('has at least 150 cases, with unique ids, in every category', () => {
    expect(attackCases.length).toBeGreaterThanOrEqual(150)
    expect(new Set(attackCases.map((c) => c.id)).size).toBe(attackCases.length)
  })

  it.each(attackCases.map((c) => [c.id, c] as const))('%s', async (_, c: AttackCase) => {
    const token = craft(c.token, ctx)
    const params = {
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/${c.role ?? 'open'}`,
      RoleSessionName: 'corpus',
      WebIdentityToken: token,
      ...c.params,
    }
    const r = await call(c.body === undefined ? form(params) : c.body(encodeURIComponent(token)))
    const message =
      typeof c.expect.message === 'function' ? c.expect.message(ctx) : c.expect.message
    expect(
      {
        status: r.status,
        ...(c.expect.code === undefined ? {} : { code: r.code }),
        ...(message === undefined ? {} : { message: messageOf(r.body) }),
      },
      r.body.slice(0, 600),
    ).toEqual({
      status: c.expect.status,
      ...(c.expect.code === undefined ? {} : { code: c.expect.code }),
      ...(message === undefined ? {} : { message }),
    })
    // An answer never carries the token back, and a refusal never carries credentials.
    if (token.length > 40) expect(r.body).not.toContain(token.slice(-40))
    if (c.expect.status !== 200) expect(r.body).not.toContain('SecretAccessKey')
  })
})
