/**
 * State: a SQLite file that survives restarts (providers, roles, sessions), and `--seed` applied
 * idempotently.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { KeylessError } from '../../src/shared/errors.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import { ACCOUNT, ADMIN, form, readReply, signForm, type Creds, type Reply } from './harness.js'

async function call(
  app: Emulator,
  params: Record<string, string | number>,
  creds?: Creds,
  service: 'sts' | 'iam' = 'iam',
): Promise<Reply> {
  const body = form(params)
  const headers =
    creds === undefined
      ? { 'content-type': 'application/x-www-form-urlencoded' }
      : await signForm(body, { service, creds })
  const res = await app.inject({ method: 'POST', url: '/', headers, payload: body })
  return readReply(res.statusCode, res.headers, res.body)
}

let issuer: TestIssuer
let dir: string
beforeAll(async () => {
  issuer = await startTestIssuer()
  dir = mkdtempSync(join(tmpdir(), 'keyless-emu-state-'))
})
afterAll(async () => {
  await issuer.close()
})

function trust(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  }
}

describe('SQLite state', () => {
  it('keeps providers, roles and sessions across restarts', async () => {
    const file = join(dir, 'state.db')
    const config = { accountId: ACCOUNT, ...ADMIN, state: file }
    const first = await buildEmulator(config)
    expect(
      (
        await call(
          first,
          {
            Action: 'CreateOpenIDConnectProvider',
            Version: '2010-05-08',
            Url: issuer.url,
            'ClientIDList.member.1': 'sts.amazonaws.com',
          },
          ADMIN,
        )
      ).status,
    ).toBe(200)
    expect(
      (
        await call(
          first,
          {
            Action: 'CreateRole',
            Version: '2010-05-08',
            RoleName: 'Keep',
            AssumeRolePolicyDocument: JSON.stringify(trust()),
          },
          ADMIN,
        )
      ).status,
    ).toBe(200)
    const assumed = await call(first, {
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/Keep`,
      RoleSessionName: 's1',
      WebIdentityToken: await issuer.mint(),
    })
    expect(assumed.status, assumed.body).toBe(200)
    await first.close()

    const second = await buildEmulator(config)
    const role = await call(
      second,
      { Action: 'GetRole', Version: '2010-05-08', RoleName: 'keep' },
      ADMIN,
    )
    expect(role.result?.['Role']['RoleName']).toBe('Keep')
    const c = assumed.result!['Credentials']
    const who = await call(
      second,
      { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
      'sts',
    )
    expect(who.result?.['Arn']).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Keep/s1`)
    await second.close()
  })
})

describe('seed', () => {
  it('applies providers and roles, idempotently, and converges on changes', async () => {
    const file = join(dir, 'seed-state.db')
    const seedFile = join(dir, 'seed.json')
    const seed = {
      providers: [{ url: issuer.url, clientIds: ['sts.amazonaws.com'], tags: { team: 'infra' } }],
      roles: [
        {
          name: 'deploy',
          trustPolicy: trust(),
          maxSessionDuration: 7200,
          tags: { env: 'dev' },
          inlinePolicies: {
            read: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
            },
          },
        },
      ],
    }
    writeFileSync(seedFile, JSON.stringify(seed))
    const config = { accountId: ACCOUNT, ...ADMIN, state: file, seed: seedFile }
    for (let i = 0; i < 2; i += 1) {
      const app = await buildEmulator(config)
      const r = await call(app, {
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`,
        RoleSessionName: 's1',
        WebIdentityToken: await issuer.mint(),
        DurationSeconds: 7200,
      })
      expect(r.status, r.body).toBe(200)
      const roles = await call(app, { Action: 'ListRoles', Version: '2010-05-08' }, ADMIN)
      expect(roles.result?.['Roles']['member']).toHaveLength(1)
      await app.close()
    }
    writeFileSync(
      seedFile,
      JSON.stringify({ ...seed, providers: [{ url: issuer.url, clientIds: ['other'] }] }),
    )
    const app = await buildEmulator(config)
    const p = await call(
      app,
      {
        Action: 'GetOpenIDConnectProvider',
        Version: '2010-05-08',
        OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
      },
      ADMIN,
    )
    expect(p.result?.['ClientIDList']['member']).toEqual(['other'])
    await app.close()
  })

  it('refuses an invalid seed with one clear error', async () => {
    const seedFile = join(dir, 'bad-seed.json')
    writeFileSync(seedFile, JSON.stringify({ roles: [{ name: 'x', trustPolicy: '{bad' }] }))
    await expect(buildEmulator({ accountId: ACCOUNT, ...ADMIN, seed: seedFile })).rejects.toThrow(
      /seed: role x: MalformedPolicyDocument/u,
    )
    writeFileSync(seedFile, '{"roles": 5}')
    await expect(
      buildEmulator({ accountId: ACCOUNT, ...ADMIN, seed: seedFile }),
    ).rejects.toBeInstanceOf(KeylessError)
  })
})
