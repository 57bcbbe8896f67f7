/**
 * Bad input (issue 4): every malformed request gets an AWS error, never a 500, never a hang,
 * never partial state.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, readReply, startHarness, type Harness, type Reply } from './harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ config: { jwksTimeoutMs: 300 } })
  await h.setup()
})
afterAll(async () => {
  await h.close()
})

function b64(text: string): string {
  return Buffer.from(text).toString('base64url')
}

function expectAwsError(r: Reply, status?: number): void {
  expect(r.status, r.body).toBeGreaterThanOrEqual(400)
  expect(r.status, r.body).toBeLessThan(500)
  if (status !== undefined) expect(r.status, r.body).toBe(status)
  expect(r.code).toMatch(/^[A-Za-z]+$/u)
}

describe('malformed web identity tokens', () => {
  const header = b64(JSON.stringify({ alg: 'RS256', kid: 'k1' }))
  const cases: Array<[string, () => Promise<string> | string]> = [
    ['random text', () => randomBytes(300).toString('base64')],
    ['truncated token', async () => (await h.issuer.mint()).slice(0, 200)],
    [
      'token without signature',
      async () => (await h.issuer.mint()).split('.').slice(0, 2).join('.') + '.',
    ],
    ['JSON bomb in the header', () => `${b64('['.repeat(9000))}.${b64('{}')}.AAAA`],
    ['JSON bomb in the payload', () => `${header}.${b64(`{"a":${'['.repeat(9000)}`)}.AAAA`],
    [
      'deeply nested payload that parses',
      () => `${header}.${b64(`{"a":${'['.repeat(30)}${']'.repeat(30)}}`)}.AAAA`,
    ],
    ['payload that is an array', () => `${header}.${b64('[1,2]')}.AAAA`],
    ['header not JSON', () => `${b64('nope')}.${b64('{}')}.AAAA`],
    ['non-base64url characters', () => 'ab$c.d*ef.gh+i'],
    ['JWE (5 segments)', () => 'a.b.c.d.e'],
    [
      'iss not a string',
      () => `${header}.${b64(JSON.stringify({ iss: 42, aud: 'sts.amazonaws.com' }))}.AAAA`,
    ],
    [
      'kid not a string',
      () => `${b64(JSON.stringify({ alg: 'RS256', kid: 7 }))}.${b64('{}')}.AAAA`,
    ],
    [
      'crit header',
      () => `${b64(JSON.stringify({ alg: 'RS256', crit: ['x'] }))}.${b64('{}')}.AAAA`,
    ],
    [
      'huge but allowed length',
      () => `${header}.${b64(JSON.stringify({ pad: 'x'.repeat(14000) }))}.AAAA`,
    ],
    [
      'control characters in claims',
      async () => h.issuer.mint({ sub: '\u0000\u0001bad\u0007', aud: 'nope' }),
    ],
  ]
  it.each(cases)('%s → InvalidIdentityToken or ValidationError', async (_name, make) => {
    const r = await h.assume(await make())
    expectAwsError(r, 400)
    expect(['InvalidIdentityToken', 'ValidationError']).toContain(r.code)
  })

  it('a token over 20,000 characters is refused before any parsing', async () => {
    const r = await h.assume('a'.repeat(50_000))
    expect(r.code).toBe('ValidationError')
    expect(r.body.length).toBeLessThan(1000)
  })
})

describe('malformed requests', () => {
  const inject = async (options: {
    method?: 'GET' | 'POST'
    url?: string
    headers?: Record<string, string>
    body?: string
  }): Promise<Reply> => {
    const res = await h.app.inject({
      method: options.method ?? 'POST',
      url: options.url ?? '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      payload: options.body ?? '',
    })
    return readReply(res.statusCode, res.headers, res.body)
  }

  it('body over 1 MiB → 413 with an AWS error body', async () => {
    const r = await inject({
      body: `Action=GetCallerIdentity&Version=2011-06-15&x=${'a'.repeat(1_100_000)}`,
    })
    expect(r.status).toBe(413)
    expect(r.code).toBe('RequestEntityTooLarge')
  })

  it.each([
    ['empty body', ''],
    ['garbage body', '%%%&&&===='],
    [
      'broken percent-encoding',
      'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=%E0%A4%A&RoleSessionName=%ZZ',
    ],
    [
      'integer that is not one',
      'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&DurationSeconds=abc',
    ],
    ['integer with exponent', 'Action=ListRoles&Version=2010-05-08&MaxItems=1e3'],
    ['duplicated action', 'Action=GetCallerIdentity&Action=GetCallerIdentity&Version=2011-06-15'],
    ['unknown version', 'Action=GetRole&Version=1999-01-01'],
    [
      'control characters in names',
      `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=${encodeURIComponent('a\u0000b\u001f')}`,
    ],
    [
      'list index garbage',
      'Action=CreateOpenIDConnectProvider&Version=2010-05-08&ClientIDList.member.x=1&ClientIDList.member.99999999=2',
    ],
  ])('%s → AWS error, no 500', async (_name, body) => {
    expectAwsError(await inject({ body }))
  })

  it('a JSON body with X-Amz-Target → InvalidAction', async () => {
    const r = await inject({
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSSecurityTokenServiceV20110615.GetCallerIdentity',
      },
      body: '{}',
    })
    expect(r.code).toBe('InvalidAction')
  })

  it.each([
    ['garbage Authorization', { authorization: 'garbage' }],
    [
      'unsupported algorithm',
      {
        authorization:
          'AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=00',
      },
    ],
    [
      'bad X-Amz-Date',
      {
        authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': 'yesterday',
      },
    ],
    [
      'unknown access key',
      {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIANOPE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    ],
    [
      'signed header missing',
      {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDADMINEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date;x-missing, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20260101T000000Z',
      },
    ],
  ])('%s → auth error', async (_name, headers) => {
    const r = await inject({
      headers,
      body: form({ Action: 'GetRole', Version: '2010-05-08', RoleName: 'R' }),
    })
    expectAwsError(r)
  })

  it('presigned URL with bad X-Amz-Expires', async () => {
    const q = form({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'a/20260101/us-east-1/sts/aws4_request',
      'X-Amz-Date': '20260101T000000Z',
      'X-Amz-Expires': '9999999',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '0'.repeat(64),
    })
    expectAwsError(await inject({ method: 'GET', url: `/?${q}` }), 400)
  })

  it('deeply nested session and trust policies → MalformedPolicyDocument', async () => {
    const deep = `{"Version":"2012-10-17","Statement":${'['.repeat(900)}${']'.repeat(900)}}`
    const r = await h.assume(await h.issuer.mint(), { Policy: deep })
    expect(r.code).toBe('MalformedPolicyDocument')
    const r2 = await h.iam({
      Action: 'CreateRole',
      RoleName: 'Deep',
      AssumeRolePolicyDocument: `${'['.repeat(1000)}${']'.repeat(1000)}`,
    })
    expect(r2.code).toBe('MalformedPolicyDocument')
  })

  it('random parameters for every action never give a 500', async () => {
    const actions = [
      'AssumeRoleWithWebIdentity',
      'GetCallerIdentity',
      'CreateOpenIDConnectProvider',
      'CreateRole',
      'GetRole',
      'ListRoles',
      'TagRole',
      'PutRolePolicy',
      'UpdateRole',
      'UntagOpenIDConnectProvider',
    ]
    const names = [
      'RoleArn',
      'RoleSessionName',
      'WebIdentityToken',
      'DurationSeconds',
      'Policy',
      'PolicyArns.member.1.arn',
      'Url',
      'ClientIDList.member.1',
      'ThumbprintList.member.2',
      'RoleName',
      'AssumeRolePolicyDocument',
      'MaxItems',
      'Marker',
      'Tags.member.1.Key',
      'Tags.member.3.Value',
      'TagKeys.member.1',
      'PolicyName',
      'PolicyDocument',
      'MaxSessionDuration',
      'OpenIDConnectProviderArn',
    ]
    const values = [
      '',
      ' ',
      '-1',
      '0',
      '99999999999999999999',
      'null',
      '{}',
      '[]',
      '{"Version":"2012-10-17"}',
      '\u0000',
      '😀'.repeat(50),
      'a'.repeat(3000),
      'arn:aws:iam::111122223333:role/R',
      'https://x',
      '%',
      '<x>&amp;',
    ]
    for (let i = 0; i < 200; i += 1) {
      const params: Record<string, string> = {
        Action: actions[i % actions.length]!,
        Version: i % 3 === 0 ? '2011-06-15' : '2010-05-08',
      }
      for (let j = 0; j < 4; j += 1)
        params[names[(i * 7 + j * 3) % names.length]!] = values[(i * 5 + j) % values.length]!
      const r = i % 2 === 0 ? await h.post(params) : await h.iam(params)
      expect(r.status, r.body).toBeLessThan(500)
    }
  })
})

describe('no partial state', () => {
  it('a refused CreateRole leaves nothing behind', async () => {
    const r = await h.iam({
      Action: 'CreateRole',
      RoleName: 'Half',
      AssumeRolePolicyDocument: JSON.stringify(h.t0()),
      'Tags.member.1.Key': 'a',
      'Tags.member.1.Value': '1',
      'Tags.member.2.Key': 'A',
      'Tags.member.2.Value': '2',
    })
    expect(r.code).toBe('InvalidInput')
    expect((await h.iam({ Action: 'GetRole', RoleName: 'Half' })).code).toBe('NoSuchEntity')
  })

  it('a refused TagRole keeps the old tags', async () => {
    await h.iam({
      Action: 'TagRole',
      RoleName: 'R',
      'Tags.member.1.Key': 'keep',
      'Tags.member.1.Value': '1',
    })
    const many: Record<string, string> = {}
    for (let i = 1; i <= 50; i += 1) {
      many[`Tags.member.${i}.Key`] = `k${i}`
      many[`Tags.member.${i}.Value`] = 'v'
    }
    expect((await h.iam({ Action: 'TagRole', RoleName: 'R', ...many })).code).toBe('LimitExceeded')
    const tags = (await h.iam({ Action: 'ListRoleTags', RoleName: 'R' })).result!['Tags']['member']
    expect(tags).toEqual([{ Key: 'keep', Value: '1' }])
  })

  it('the memory state rolls back a failed transaction', () => {
    const state = h.app.emulator.state
    expect(() =>
      state.transaction(() => {
        state.roles.put('tmp', { ...state.roles.get('r')!, name: 'tmp' })
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(state.roles.get('tmp')).toBeUndefined()
  })
})

describe('other methods and options', () => {
  it('PUT and DELETE get an AWS error body', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      const res = await h.app.inject({ method, url: '/' })
      const r = readReply(res.statusCode, res.headers, res.body)
      expect(r.status).toBe(400)
      expect(r.code).toBe('InvalidAction')
    }
  })

  it('accepts a plain-http provider on any host only with allowHttpIssuers', async () => {
    const strict = await h.iam({
      Action: 'CreateOpenIDConnectProvider',
      Url: 'http://idp.internal.example',
    })
    expect(strict.code).toBe('InvalidInput')
    const lax = await startHarness({ config: { allowHttpIssuers: true } })
    try {
      const r = await lax.iam({
        Action: 'CreateOpenIDConnectProvider',
        Url: 'http://idp.internal.example:8080',
      })
      expect(r.result?.['OpenIDConnectProviderArn']).toBe(
        'arn:aws:iam::111122223333:oidc-provider/idp.internal.example:8080',
      )
    } finally {
      await lax.close()
    }
  })
})
