/**
 * The node:http fast path of the Query protocol (src/emulator/protocol/fast-path.ts) puts the same
 * bytes on the wire as the Fastify route: every request below is sent over a socket to `/` (the
 * fast path, when eligible), over a socket to `/via-fastify` (always Fastify's route; the path
 * does not change an unsigned answer) and through `inject`, and the three answers must agree on
 * status, headers and body once request ids and fresh credentials are normalized.
 */
import { connect } from 'node:net'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fastPathEligible } from '../../src/emulator/protocol/fast-path.js'
import { ADMIN, form, startHarness, type Harness } from './harness.js'

let h: Harness
let port = 0
beforeAll(async () => {
  h = await startHarness()
  await h.setup()
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' })
  port = Number(new URL(address).port)
})
afterAll(async () => {
  await h.close()
})

interface Raw {
  readonly head: string
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

/** One request on a fresh connection; `parts` are written one by one (split bodies). */
function exchange(head: string, parts: readonly Buffer[]): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (d: Buffer) => {
      chunks.push(d)
      const text = Buffer.concat(chunks).toString('utf8')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return
      const length = Number(/\r\ncontent-length: (\d+)/iu.exec(text.slice(0, end))?.[1] ?? 0)
      const body = Buffer.concat(chunks).subarray(Buffer.byteLength(text.slice(0, end + 4)))
      if (body.length < length && !head.startsWith('HEAD')) return
      socket.destroy()
      const lines = text.slice(0, end).split('\r\n')
      resolve({
        head: lines[0] ?? '',
        status: Number(lines[0]?.split(' ')[1]),
        headers: lines.slice(1).map((l) => {
          const i = l.indexOf(':')
          return [l.slice(0, i), l.slice(i + 1).trim()] as const
        }),
        body: body.toString('utf8'),
      })
    })
    socket.on('error', reject)
    socket.write(head)
    void (async () => {
      for (const p of parts) {
        socket.write(p)
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
  })
}

function normalize(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu, '{{uuid}}')
    .replace(/ASIA[A-Z2-7]{16}/gu, '{{accessKeyId}}')
    .replace(/<SecretAccessKey>[^<]*</gu, '<SecretAccessKey>{{secret}}<')
    .replace(/<SessionToken>[^<]*</gu, '<SessionToken>{{token}}<')
}

/** Headers as sent, with the per-response values (date, request id) normalized. */
function shape(r: Raw): string[] {
  return r.headers.map(
    ([k, v]) => `${k}: ${k.toLowerCase() === 'date' ? '{{date}}' : normalize(v)}`,
  )
}

interface Case {
  readonly name: string
  readonly method: string
  readonly query?: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: readonly Buffer[]
  /** Signed for this path (the signature covers it), so only `/` and inject are compared. */
  readonly signed?: boolean
  /** inject cannot send it (chunked framing), so only the two sockets are compared. */
  readonly socketOnly?: boolean
}

function head(c: Case, path: string, length: number): string {
  const lines = [`${c.method} ${path}${c.query ?? ''} HTTP/1.1`, `host: 127.0.0.1:${port}`]
  for (const [k, v] of Object.entries(c.headers)) if (k !== 'host') lines.push(`${k}: ${v}`)
  if (c.body !== undefined && c.headers['transfer-encoding'] === undefined)
    lines.push(`content-length: ${length}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const FORM_UTF8 = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
const text = (s: string): Buffer[] => [Buffer.from(s)]

async function cases(): Promise<Case[]> {
  const token = await h.issuer.mint()
  const assume = (extra: Record<string, string> = {}) =>
    form({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: h.roleArn,
      RoleSessionName: 's1',
      WebIdentityToken: token,
      ...extra,
    })
  const gci = 'Action=GetCallerIdentity&Version=2011-06-15'
  const signedFor = async (body: string, secret?: string): Promise<Record<string, string>> => {
    // The harness signs for host "localhost"; this signs for the socket's host.
    const signer = new SignatureV4({
      service: 'sts',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: { ...ADMIN, secretAccessKey: secret ?? ADMIN.secretAccessKey },
    })
    const req = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      headers: { host: `127.0.0.1:${port}`, ...FORM_UTF8 },
      body,
    })
    const signed = await signer.sign(req, { signingDate: h.clock.now() })
    return signed.headers
  }
  const split = Buffer.from(assume({ RoleSessionName: 'sé-ß' }))
  const cut = split.indexOf(0xc3) + 1
  return [
    { name: 'AssumeRoleWithWebIdentity', method: 'POST', headers: FORM, body: text(assume()) },
    {
      name: 'AssumeRoleWithWebIdentity, charset utf-8',
      method: 'POST',
      headers: FORM_UTF8,
      body: text(assume()),
    },
    {
      name: 'AssumeRoleWithWebIdentity as GET',
      method: 'GET',
      query: `?${assume()}`,
      headers: {},
    },
    {
      name: 'validation error (nothing but the action)',
      method: 'POST',
      headers: FORM,
      body: text('Action=AssumeRoleWithWebIdentity&Version=2011-06-15'),
    },
    {
      name: 'a body split inside a UTF-8 character',
      method: 'POST',
      headers: FORM,
      body: [split.subarray(0, cut), split.subarray(cut)],
    },
    {
      name: 'bytes that are not UTF-8',
      method: 'POST',
      headers: FORM,
      body: [
        Buffer.concat([
          Buffer.from('Action=Foo%FF&Version=2011-06-15&x='),
          Buffer.from([0xff, 0xfe]),
        ]),
      ],
    },
    {
      name: 'a parameter twice',
      method: 'POST',
      headers: FORM,
      body: text(`${assume()}&RoleSessionName=again`),
    },
    {
      name: 'unknown version',
      method: 'POST',
      headers: FORM,
      body: text('Action=X&Version=1999-01-01'),
    },
    { name: 'no action', method: 'POST', headers: FORM, body: text('Version=2011-06-15') },
    { name: 'an empty body', method: 'POST', headers: FORM, body: [] },
    { name: 'GetCallerIdentity unsigned', method: 'POST', headers: FORM, body: text(gci) },
    {
      name: 'GetCallerIdentity signed',
      method: 'POST',
      headers: await signedFor(gci),
      body: text(gci),
      signed: true,
    },
    {
      name: 'GetCallerIdentity with a wrong secret',
      method: 'POST',
      headers: await signedFor(gci, 'x'.repeat(40)),
      body: text(gci),
      signed: true,
    },
    // Not eligible for the fast path: Fastify answers, through the same server.
    {
      name: 'a JSON body',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text('{}'),
    },
    { name: 'no content type', method: 'POST', headers: {}, body: text(gci) },
    {
      name: 'a malformed content type',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;;=' },
      body: text(gci),
    },
    {
      name: 'a chunked body',
      method: 'POST',
      headers: { ...FORM, 'transfer-encoding': 'chunked' },
      body: text(`${gci.length.toString(16)}\r\n${gci}\r\n0\r\n\r\n`),
      socketOnly: true,
    },
    {
      name: 'a body over the limit',
      method: 'POST',
      headers: FORM,
      body: text(`${gci}&x=${'a'.repeat(1024 * 1024)}`),
    },
    { name: 'DELETE', method: 'DELETE', headers: {} },
  ]
}

describe('the fast path answers like Fastify', () => {
  it('for every kind of request, byte for byte', async () => {
    for (const c of await cases()) {
      const body = Buffer.concat(c.body ?? [])
      const fast = await exchange(head(c, '/', body.length), c.body ?? [])
      if (c.socketOnly !== true) {
        const injected = await h.app.inject({
          method: c.method as 'GET',
          url: `/${c.query ?? ''}`,
          headers: { ...c.headers, host: `127.0.0.1:${port}` },
          ...(c.body === undefined ? {} : { payload: body }),
        })
        expect(fast.status, c.name).toBe(injected.statusCode)
        expect(normalize(fast.body), c.name).toBe(normalize(injected.body))
      }
      expect(fast.body, c.name).toMatch(
        /^<\w+Response xmlns="https:\/\/(sts|iam)\.amazonaws\.com\//u,
      )
      if (c.signed === true) continue
      const routed = await exchange(head(c, '/via-fastify', body.length), c.body ?? [])
      expect(fast.head, c.name).toBe(routed.head)
      expect(shape(fast), c.name).toEqual(shape(routed))
      expect(normalize(fast.body), c.name).toBe(normalize(routed.body))
    }
  })

  it('sends the headers Fastify sends, in its order', async () => {
    const r = await exchange(
      head({ name: '', method: 'POST', headers: FORM, body: [] }, '/', 10),
      text('Version=1x'),
    )
    expect(r.headers.map(([k]) => k)).toEqual([
      'x-amzn-requestid',
      'content-type',
      'content-length',
      'Date',
      'Connection',
      'Keep-Alive',
    ])
    expect(Object.fromEntries(r.headers)).toMatchObject({
      'content-type': 'text/xml',
      'content-length': String(Buffer.byteLength(r.body)),
      Connection: 'keep-alive',
      'Keep-Alive': 'timeout=72',
    })
  })
})

describe('which requests the fast path takes', () => {
  const table: Array<[string, string, string, Record<string, string>, boolean]> = [
    ['form POST on /', 'POST', '/', { ...FORM, 'content-length': '10' }, true],
    ['form POST, charset', 'POST', '/', { ...FORM_UTF8, 'content-length': '10' }, true],
    [
      'form POST, upper case type',
      'POST',
      '/',
      { 'content-type': 'Application/X-WWW-Form-Urlencoded', 'content-length': '1' },
      true,
    ],
    ['GET with a query', 'GET', '/?Action=GetCallerIdentity', {}, true],
    ['GET on /', 'GET', '/', {}, true],
    ['another path', 'POST', '/x', { ...FORM, 'content-length': '10' }, false],
    ['a query after another path', 'GET', '/x?Action=A', {}, false],
    ['HEAD', 'HEAD', '/', {}, false],
    ['PUT', 'PUT', '/', { ...FORM, 'content-length': '1' }, false],
    ['no content length', 'POST', '/', FORM, false],
    ['chunked', 'POST', '/', { ...FORM, 'transfer-encoding': 'chunked' }, false],
    [
      'over the body limit',
      'POST',
      '/',
      { ...FORM, 'content-length': String(1024 * 1024 + 1) },
      false,
    ],
    ['at the body limit', 'POST', '/', { ...FORM, 'content-length': String(1024 * 1024) }, true],
    ['a strange content length', 'POST', '/', { ...FORM, 'content-length': '1e3' }, false],
    ['JSON', 'POST', '/', { 'content-type': 'application/json', 'content-length': '2' }, false],
    [
      'a form type with other parameters',
      'POST',
      '/',
      { 'content-type': `${FORM['content-type']}; x=y`, 'content-length': '2' },
      false,
    ],
  ]
  it.each(table)('%s', (_name, method, url, headers, expected) => {
    const req = { method, url, headers } as unknown as IncomingMessage
    expect(fastPathEligible(req, 1024 * 1024)).toBe(expected)
  })
})
