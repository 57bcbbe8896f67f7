/**
 * Differential test: `sigv4Signature` (node:crypto) gives the signature @smithy/signature-v4 gives
 * for the same request, on thousands of generated requests, header form and presigned: odd paths
 * (dot segments, doubled slashes, escapes, no leading slash), odd query strings (repeated keys,
 * case variants of X-Amz-Signature, empty names and values, Object.prototype names, unicode),
 * unsignable and generated headers, folded header values, payload hashes given or computed.
 * The reference is driven exactly as the emulator's verifier drove it before
 * (src/emulator/sigv4/verify.ts), with @aws-crypto/sha256-js as its hash.
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { describe, expect, it } from 'vitest'
import { sigv4Signature, type SignatureInput } from './signature.js'

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ALPHABET = [
  ...'abcXYZ019-_.~',
  ...'%+=&;,@$:/? ',
  ...`!'()*`,
  'ü',
  '€',
  '😀',
  '\t',
  '"',
  '#',
  '[',
]

function gen(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const text = (max: number): string => {
    let s = ''
    const n = Math.floor(rand() * (max + 1))
    for (let i = 0; i < n; i += 1) s += pick(ALPHABET)
    return s
  }
  return {
    pick,
    text,
    chance: (p: number) => rand() < p,
    int: (n: number) => Math.floor(rand() * n),
  }
}

const PATHS = [
  '',
  '/',
  '/a',
  '/a/b/',
  '//x//y',
  '/./a/../b',
  '/..',
  '/../..',
  '/a/./',
  '/%2F',
  '/a%20b',
  "/!'()*",
  '/ü/ö',
  '/a b',
  'nolead',
  'http://h/p',
  '/~user/',
  '/a/b/../../c/',
]
const QUERY_KEYS = [
  'Action',
  'Version',
  'a',
  'A',
  'x-amz-signature',
  'X-Amz-Signature',
  'X-AMZ-SIGNATURE',
  'X-Amz-Date',
  'X-Amz-Credential',
  '',
  ' ',
  'k k',
  'ü',
  '~',
  '*',
  "!'()",
  'constructor',
  'toString',
  'hasOwnProperty',
  '__proto__',
  '1',
  '10',
  '2',
  'a.member.1',
]
const HEADERS = [
  'host',
  'content-type',
  'x-amz-date',
  'date',
  'authorization',
  'user-agent',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'x-amz-target',
  'proxy-authorization',
  'sec-fetch-mode',
  'cache-control',
  'expect',
  'transfer-encoding',
  'x-amzn-trace-id',
  'connection',
  'x-custom',
  'constructor',
  'toString',
  '1',
  'content-length',
]
const VALUES = [
  '127.0.0.1:4566',
  'Example.COM',
  'application/x-www-form-urlencoded; charset=utf-8',
  '  lots   of\tspace  ',
  'a\r\nb',
  '\tx',
  'x ',
  '',
  'a,b, c',
  'UNSIGNED-PAYLOAD',
  'é',
  '20261125T120000Z',
]

/** The query object the verifier builds from a raw query string (repeated keys → arrays). */
function verifierQuery(raw: string, presigned: boolean): Record<string, string | string[]> {
  const PRESIGN = new Set([
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
  ])
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URLSearchParams(raw)) {
    if (presigned && PRESIGN.has(k)) continue
    const prev = out[k]
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]
  }
  return out
}

function generate(seed: number, presign: boolean): SignatureInput {
  const g = gen(random(seed))
  const rawQuery = Array.from({ length: g.int(6) }, () => {
    const key = g.chance(0.7) ? g.pick(QUERY_KEYS) : g.text(4)
    return `${encodeURIComponent(key)}=${g.chance(0.5) ? encodeURIComponent(g.text(6)) : g.text(3).replace(/[&#]/gu, '')}`
  }).join('&')
  const headers: Record<string, string> = {}
  for (let i = g.int(7); i >= 0; i -= 1) {
    const name = g.chance(0.85)
      ? g.pick(HEADERS)
      : `x-${g
          .text(3)
          .toLowerCase()
          .replace(/[^a-z0-9-]/gu, '')}`
    // Header form also sees mixed-case names (the signer lower-cases them); the verifier's are lower case.
    const written = !presign && g.chance(0.1) ? name.toUpperCase() : name
    headers[written] = g.chance(0.6) ? g.pick(VALUES) : g.text(8)
  }
  if (g.chance(0.3))
    headers['x-amz-content-sha256'] = g.pick([
      'UNSIGNED-PAYLOAD',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      g.text(5),
    ])
  const names = Object.keys(headers).map((n) => n.toLowerCase())
  const signable = new Set(g.chance(0.8) ? names : names.filter(() => g.chance(0.5)))
  const path = g.chance(0.6) ? g.pick(PATHS) : `/${g.text(6)}/${g.text(3)}`
  const signingDate = new Date(
    Date.UTC(
      2000 + g.int(40),
      g.int(12),
      1 + g.int(28),
      g.int(24),
      g.int(60),
      g.int(60),
      g.chance(0.2) ? g.int(1000) : 0,
    ),
  )
  return {
    method: g.pick(['GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'get']),
    path,
    query: verifierQuery(rawQuery, presign),
    headers,
    body: g.pick(['', 'Action=GetCallerIdentity&Version=2011-06-15', 'ü€😀', g.text(30)]),
    accessKeyId: g.pick(['AKIDEXAMPLE', 'ASIAEXAMPLE', g.text(8)]),
    secretAccessKey: g.pick(['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', g.text(12), 'sécret']),
    region: g.pick(['us-east-1', 'eu-west-1', 'x', g.text(4).replace(/\//gu, '') || 'r']),
    service: g.pick(['sts', 'iam', 's3']),
    signingDate,
    signableHeaders: signable,
    ...(presign
      ? {
          presign: {
            expiresIn: 1 + g.int(604800),
            sessionToken: g.pick([undefined, '', 'IQoJb3JpZ2luX2VjEXAMPLE', g.text(10)]),
          },
        }
      : {}),
  }
}

/** The signature @smithy/signature-v4 gives, driven as the verifier drove it. */
async function reference(input: SignatureInput): Promise<string> {
  const request = new HttpRequest({
    method: input.method,
    protocol: 'http:',
    hostname: input.headers['host'] ?? 'localhost',
    path: input.path,
    query: input.query as Record<string, string | string[]>,
    headers: { ...input.headers },
    body: input.body,
  })
  const token = input.presign?.sessionToken
  const signer = new SignatureV4({
    service: input.service,
    region: input.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      ...(input.presign !== undefined && token !== undefined ? { sessionToken: token } : {}),
    },
    applyChecksum: false,
    uriEscapePath: true,
  })
  if (input.presign !== undefined) {
    const signed = await signer.presign(request, {
      signingDate: input.signingDate,
      expiresIn: input.presign.expiresIn,
      signableHeaders: new Set(input.signableHeaders),
      unhoistableHeaders: new Set(Object.keys(input.headers)),
    })
    return String(signed.query?.['X-Amz-Signature'])
  }
  const signed = await signer.sign(request, {
    signingDate: input.signingDate,
    signableHeaders: new Set(input.signableHeaders),
  })
  return /Signature=([0-9a-f]{64})/u.exec(signed.headers['authorization'] ?? '')?.[1] ?? ''
}

describe('sigv4Signature agrees with @smithy/signature-v4', () => {
  for (const mode of ['header', 'presigned'] as const) {
    it(`on 1500 generated ${mode} requests`, async () => {
      for (let seed = 1; seed <= 1500; seed += 1) {
        const input = generate(mode === 'header' ? seed : 100_000 + seed, mode === 'presigned')
        const ours = sigv4Signature(input)
        expect(ours, `${mode} seed ${seed}`).toMatch(/^[0-9a-f]{64}$/u)
        expect(ours, `${mode} seed ${seed}`).toBe(await reference(input))
      }
    })
  }

  it('changes with every part that is signed', () => {
    const base = generate(7, false)
    const ours = sigv4Signature(base)
    const variants: Array<Partial<SignatureInput>> = [
      { method: 'PUT' },
      { path: '/other' },
      { query: { ...base.query, extra: 'x' } },
      { headers: { ...base.headers, 'x-new': 'v' } },
      { body: `${base.body}!` },
      { secretAccessKey: `${base.secretAccessKey}x` },
      { region: 'ap-south-1' },
      { service: 'sqs' },
      { signingDate: new Date(base.signingDate.getTime() + 1000) },
    ]
    for (const v of variants)
      expect(sigv4Signature({ ...base, ...v }), JSON.stringify(v)).not.toBe(ours)
  })

  it('matches the AWS documentation example (GET iam ListUsers)', () => {
    // docs.aws.amazon.com, "Create a signed AWS API request" (SigV4 example, 2015-08-30).
    const signature = sigv4Signature({
      method: 'GET',
      path: '/',
      query: { Action: 'ListUsers', Version: '2010-05-08' },
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        host: 'iam.amazonaws.com',
      },
      body: '',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1',
      service: 'iam',
      signingDate: new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
      signableHeaders: new Set(['content-type', 'host', 'x-amz-date']),
    })
    expect(signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7')
  })
})
