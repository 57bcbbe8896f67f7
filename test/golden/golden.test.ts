import { randomBytes } from 'node:crypto'
/**
 * Golden wire tests: every `test/golden/<service>/<Action>/<case>.request.txt` is sent to a fresh
 * emulator holding a fixed fixture at a fixed time, and the response must equal
 * `<case>.response.xml` after normalizing RequestIds and generated values (ids, keys, tokens,
 * the issuer's random port). `KEYLESS_UPDATE_GOLDEN=1` rewrites the response files.
 *
 * Request files: `# status: N`, optional `# sign: <service> <who>`, then the HTTP request.
 * Placeholders: `{{token…}}` (see `tokens`), `{{issuer}}`, `{{issuerHost}}`, `{{trustPolicy}}`.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allActions, awsErrorTable } from '../../src/emulator/index.js'
import { ManualClock } from '../../src/shared/clock.js'
import { processEnv } from '../../src/shared/config/load.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import { ACCOUNT, ADMIN, signForm, startHarness, type Creds, type Harness } from '../emulator/harness.js'

/** A well-formed access key the emulator never issued, made at test time (never a fixed key). */
function unknownKey(): Creds {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const id = Array.from(randomBytes(16), (b) => base32[b % 32]).join('')
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') }
}

const ROOT = dirname(fileURLToPath(import.meta.url))
const UPDATE = processEnv()['KEYLESS_UPDATE_GOLDEN'] === '1'
const START = Date.UTC(2026, 10, 25, 12, 0, 0)

/** Error codes the emulator never answers through the Query layer, with the reason. */
const NOT_PRODUCED: Record<string, string> = {
  InternalFailure: 'only for bugs; bad-input tests assert it never happens',
  ServiceFailure: 'IAM server fault; never produced',
  ConcurrentModification: 'writes are serialized',
  UnmodifiableEntity: 'no service-linked roles',
  OpenIdIdpCommunicationError: 'thumbprints are never fetched at CreateOpenIDConnectProvider',
  IDPCommunicationError: 'OIDC key failures answer InvalidIdentityToken, as AWS does',
  IDPRejectedClaim: 'OAuth 2.0 providers are not emulated',
  RegionDisabledException: 'every region is enabled',
  RequestEntityTooLarge: 'a 1 MiB body; covered by the bad-input tests',
}

function requestFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...requestFiles(path))
    else if (name.endsWith('.request.txt')) out.push(path)
  }
  return out.sort()
}

interface ParsedRequest {
  readonly status: number
  readonly sign: string | undefined
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
}

function parseRequest(text: string): ParsedRequest {
  const lines = text.split('\n')
  let status = 200
  let sign: string | undefined
  while (lines[0]?.startsWith('#')) {
    const line = lines.shift() ?? ''
    const m = /^# (\w+): (.*)$/u.exec(line)
    if (m?.[1] === 'status') status = Number(m[2])
    if (m?.[1] === 'sign') sign = m[2]
  }
  const [method = 'POST', url = '/'] = (lines.shift() ?? '').split(' ')
  const headers: Record<string, string> = {}
  for (;;) {
    const line = lines.shift()
    if (line === undefined || line === '') break
    const i = line.indexOf(':')
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim()
  }
  return { status, sign, method, url, headers, body: lines.join('\n').replace(/\n$/u, '') }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function stableHex(seed: string, length: number): string {
  return createHash('sha512').update(seed).digest('hex').repeat(4).slice(0, length)
}

/** The token a placeholder names, minted on demand (key generation is slow). */
async function token(h: Harness, name: string): Promise<string> {
  const i = h.issuer
  const now = Math.floor(h.clock.now().getTime() / 1000)
  switch (name) {
    case 'token':
      return i.mint()
    case 'token-tags':
      return i.mint({
        'https://aws.amazon.com/tags': {
          principal_tags: { Project: ['A'], Team: ['x'] },
          transitive_tag_keys: ['Project'],
        },
        'https://aws.amazon.com/source_identity': 'Admin',
      })
    case 'token-other-issuer':
      return i.mint({ iss: 'https://other.example.com' })
    case 'token-wrong-aud':
      return i.mint({ aud: 'not-registered' })
    case 'token-no-aud':
      return i.mint({ aud: undefined })
    case 'token-unknown-kid':
      return i.mint({}, { kid: 'k9' })
    case 'token-wrong-key':
      return i.mint({}, { wrongKey: true })
    case 'token-alg-none':
      return `${b64({ alg: 'none', typ: 'JWT' })}.${(await i.mint()).split('.')[1] ?? ''}.`
    case 'token-expired':
      return i.mint({ exp: now - 1 })
    case 'token-other-sub':
      return i.mint({ aud: 'other-client' })
    case 'token-many-tags':
      return i.mint({
        'https://aws.amazon.com/tags': {
          principal_tags: Object.fromEntries(
            Array.from({ length: 40 }, (_, n) => [`k${n}`, [stableHex(String(n), 120)]]),
          ),
        },
      })
    case 'token-duplicate-tags':
      return i.mint({
        'https://aws.amazon.com/tags': { principal_tags: { Dept: ['a'], dept: ['b'] } },
      })
    default:
      throw new Error(`unknown token placeholder ${name}`)
  }
}

function normalize(body: string, h: Harness): string {
  const host = h.issuer.host
  return body
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu, '00000000-0000-0000-0000-000000000000')
    .split(host)
    .join('{{issuerHost}}')
    .split(encodeURIComponent(host))
    .join('{{issuerHost}}')
    .replace(/AROA[A-Z2-7]{17}/gu, '{{roleId}}')
    .replace(/ASIA[A-Z2-7]{16}/gu, '{{accessKeyId}}')
    .replace(/<SecretAccessKey>[^<]*<\/SecretAccessKey>/gu, '<SecretAccessKey>{{secretAccessKey}}</SecretAccessKey>')
    .replace(/<SessionToken>[^<]*<\/SessionToken>/gu, '<SessionToken>{{sessionToken}}</SessionToken>')
}

async function fixture(issuer: TestIssuer, clock: ManualClock): Promise<Harness> {
  const h = await startHarness({ issuerInstance: issuer, clock })
  await h.setup({ clientIds: ['sts.amazonaws.com', 'other-client'] })
  const ok = (r: { status: number; body: string }) => {
    if (r.status !== 200) throw new Error(r.body)
  }
  ok(await h.iam({ Action: 'TagRole', RoleName: 'R', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'infra' }))
  ok(await h.iam({ Action: 'PutRolePolicy', RoleName: 'R', PolicyName: 'inline', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}' }))
  ok(await h.iam({ Action: 'CreateRole', RoleName: 'Empty', AssumeRolePolicyDocument: JSON.stringify(h.t0()) }))
  const tagging = h.t0()
  ;(tagging['Statement'] as Array<Record<string, unknown>>)[0]!['Action'] = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity']
  ok(await h.iam({ Action: 'CreateRole', RoleName: 'Tagging', AssumeRolePolicyDocument: JSON.stringify(tagging) }))
  return h
}

async function sessionCreds(h: Harness, duration?: number): Promise<Creds> {
  const r = await h.assume(await h.issuer.mint(), duration === undefined ? {} : { DurationSeconds: duration })
  const c = r.result!['Credentials']
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }
}

async function signHeaders(h: Harness, sign: string, body: string): Promise<Record<string, string>> {
  const [service, who] = sign.split(' ') as ['sts' | 'iam', string]
  const at = (creds: Creds, date = h.clock.now()) => signForm(body, { service, creds, date })
  switch (who) {
    case 'admin':
      return at(ADMIN)
    case 'session':
      return at(await sessionCreds(h))
    case 'unknown-key':
      return at(unknownKey())
    case 'session-without-token': {
      const c = await sessionCreds(h)
      return at({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey })
    }
    case 'session-expired': {
      const c = await sessionCreds(h, 900)
      h.clock.advance(901_000)
      return at(c)
    }
    case 'wrong-secret': {
      const c = await sessionCreds(h)
      return at({ ...c, secretAccessKey: 'x'.repeat(40) })
    }
    case 'old-date':
      return at(ADMIN, new Date(h.clock.now().getTime() - 16 * 60_000))
    case 'malformed-authorization':
      return { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=abc' }
    default:
      throw new Error(`unknown signer ${sign}`)
  }
}

const files = requestFiles(ROOT)

describe('golden wire tests', () => {
  let issuer: TestIssuer
  const clock = new ManualClock(START)
  beforeAll(async () => {
    issuer = await startTestIssuer({ clock })
  })
  afterAll(async () => {
    await issuer.close()
  })

  it.each(files.map((f) => [relative(ROOT, f).replace(/\.request\.txt$/u, ''), f]))('%s', async (_name, file) => {
    clock.set(START)
    const h = await fixture(issuer, clock)
    try {
      const req = parseRequest(readFileSync(file, 'utf8'))
      const fill = async (text: string): Promise<string> => {
        const name = /\{\{(token[\w-]*)\}\}/u.exec(text)?.[1]
        const t = name === undefined ? '' : await token(h, name)
        return text
          .replace(/\{\{token[\w-]*\}\}/gu, () => t)
          .split('{{issuer}}')
          .join(encodeURIComponent(h.issuer.url))
          .split('{{issuerHost}}')
          .join(encodeURIComponent(h.issuer.host))
          .split('{{trustPolicy}}')
          .join(encodeURIComponent(JSON.stringify(h.t0())))
      }
      const body = req.body.includes('{{') ? await fill(req.body) : req.body
      const url = req.url.includes('{{') ? await fill(req.url) : req.url
      const headers = { ...req.headers, ...(req.sign === undefined ? {} : await signHeaders(h, req.sign, body)) }
      const res =
        req.method === 'GET'
          ? await h.app.inject({ method: 'GET', url, headers })
          : await h.app.inject({ method: 'POST', url, headers, payload: body })
      const actual = `${normalize(res.body, h)}\n`
      expect(res.headers['content-type']).toBe('text/xml')
      const requestId = /<RequestId>([^<]+)<\/RequestId>/u.exec(res.body)?.[1]
      expect(res.headers['x-amzn-requestid']).toBe(requestId)
      expect(res.statusCode, res.body).toBe(req.status)
      const golden = file.replace(/\.request\.txt$/u, '.response.xml')
      if (UPDATE || !existsSync(golden)) {
        if (!UPDATE) throw new Error(`missing ${relative(ROOT, golden)} (run with KEYLESS_UPDATE_GOLDEN=1)`)
        writeFileSync(golden, actual)
      }
      expect(actual).toBe(readFileSync(golden, 'utf8'))
    } finally {
      await h.close()
    }
  })

  it('covers every action and every error code', () => {
    const dirs = new Set(files.map((f) => relative(ROOT, dirname(f))))
    for (const a of allActions) expect(dirs, a.name).toContain(`${a.service}/${a.name}`)
    const responses = files
      .map((f) => f.replace(/\.request\.txt$/u, '.response.xml'))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    for (const code of Object.keys(awsErrorTable)) {
      if (code in NOT_PRODUCED) continue
      expect(responses, code).toContain(`<Code>${code}</Code>`)
    }
    expect(ACCOUNT).toBe('111122223333')
  })
})
