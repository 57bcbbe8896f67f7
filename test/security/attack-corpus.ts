/**
 * The attack corpus: tokens and issuers an attacker controls, each with the exact answer AWS STS
 * gives (HTTP status, error code, message), as data. `basis` says how sure that answer is: `D`
 * documented, `O` observed on the wire, `U` unverified — AWS publishes no text, and the emulator's
 * documented choice (docs/aws-behaviour.md, docs/emulator.md) is the answer. Run by
 * attack-corpus.test.ts against the emulator over real HTTP (docs/security.md).
 */
import { awsMessages, expiredMessage, noProviderMessage } from '../../src/federation/aws/errors.js'
import type { CorpusKeys, IssuerBehaviour } from './support/corpus-issuer.js'
import { b64url, honestClaims, type CraftContext, type TokenRecipe } from './support/craft.js'

export type Category =
  | 'alg'
  | 'signature'
  | 'kid'
  | 'header'
  | 'iss'
  | 'aud'
  | 'time'
  | 'subject'
  | 'tags'
  | 'structure'
  | 'size'
  | 'issuer'
  | 'request'

export interface Expected {
  readonly status: number
  readonly code?: string
  readonly message?: string | ((c: CraftContext) => string)
}

export interface AttackCase {
  readonly id: string
  readonly category: Category
  readonly token: TokenRecipe
  /** `open` trusts every corpus provider without conditions; `strict` is what `keyless setup aws` writes; `webonly` lacks sts:TagSession. */
  readonly role?: 'open' | 'strict' | 'webonly'
  /** Query parameters added to (or replacing) the AssumeRoleWithWebIdentity call. */
  readonly params?: Readonly<Record<string, string>>
  /** Replaces the whole form body (size cases). */
  readonly body?: (token: string) => string
  readonly expect: Expected
  readonly basis: 'D' | 'O' | 'U'
}

/** The emulator's JWKS timeout in the corpus (AWS's is about 5 s; the corpus keeps it short). */
export const CORPUS_TIMEOUT_MS = 600
const SLOW = CORPUS_TIMEOUT_MS * 2

const OK: Expected = { status: 200 }
const invalid: Expected = {
  status: 400,
  code: 'InvalidIdentityToken',
  message: awsMessages.invalidToken,
}
const noKey: Expected = { status: 400, code: 'InvalidIdentityToken', message: awsMessages.noKey }
const denied: Expected = { status: 403, code: 'AccessDenied', message: awsMessages.notAuthorized }
const wrongAud: Expected = {
  status: 400,
  code: 'InvalidIdentityToken',
  message: awsMessages.incorrectAudience,
}
const missingAud: Expected = {
  status: 400,
  code: 'InvalidIdentityToken',
  message: awsMessages.missingAud,
}
const missingIss: Expected = {
  status: 400,
  code: 'InvalidIdentityToken',
  message: awsMessages.missingIss,
}
const noProvider = (iss: (c: CraftContext) => string): Expected => ({
  status: 400,
  code: 'InvalidIdentityToken',
  message: (c) => noProviderMessage(iss(c)),
})
const expired = (exp: (c: CraftContext) => number): Expected => ({
  status: 400,
  code: 'ExpiredTokenException',
  message: (c) => expiredMessage(c.now, exp(c), '2024'),
})
const tagError = (message: string): Expected => ({
  status: 400,
  code: 'InvalidParameterValue',
  message,
})
const validation = (message: string): Expected => ({
  status: 400,
  code: 'ValidationError',
  message,
})

const TAGS = 'https://aws.amazon.com/tags'
const SOURCE = 'https://aws.amazon.com/source_identity'
const tags = (principal: unknown, transitive?: unknown): Record<string, unknown> => ({
  [TAGS]: {
    principal_tags: principal,
    ...(transitive === undefined ? {} : { transitive_tag_keys: transitive }),
  },
})

/** The organization the strict role belongs to, and its tokens' honest claims. */
export const STRICT_ORG = 'org_corpusalpha0001'
/** Another organization of the same installation, registered on the same IAM provider. */
export const OTHER_ORG = 'org_corpusbravo0002'
const strictClaims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  aud: `aws:${STRICT_ORG}`,
  sub: `org:${STRICT_ORG}:project:prj_1:environment:env_1:type:deploy`,
  ...tags({ organizationId: [STRICT_ORG] }),
  ...over,
})

/** Replaces the segment `i` of a token. */
const segment =
  (i: number, f: (s: string) => string) =>
  (token: string): string => {
    const parts = token.split('.')
    parts[i] = f(parts[i] ?? '')
    return parts.join('.')
  }
const toBase64 = (s: string): string => s.replaceAll('-', '+').replaceAll('_', '/')
const nested = (depth: number): unknown => {
  let v: unknown = 'x'
  for (let i = 0; i < depth; i += 1) v = [v]
  return v
}
const manyTags = (n: number): Record<string, string[]> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, ['v']]))
const rawClaims = (c: CraftContext, extra: string): string =>
  `{"iss":"${c.url('good')}","aud":"sts.amazonaws.com","sub":"user-123456","iat":${c.now},"exp":${c.now + 600}${extra}}`

const alg: AttackCase[] = [
  { id: 'alg-rs256-baseline', category: 'alg', token: {}, expect: OK, basis: 'D' },
  { id: 'alg-rs384', category: 'alg', token: { header: { alg: 'RS384' } }, expect: OK, basis: 'D' },
  { id: 'alg-rs512', category: 'alg', token: { header: { alg: 'RS512' } }, expect: OK, basis: 'D' },
  { id: 'alg-es256', category: 'alg', token: { header: { alg: 'ES256' } }, expect: OK, basis: 'D' },
  { id: 'alg-es384', category: 'alg', token: { header: { alg: 'ES384' } }, expect: OK, basis: 'D' },
  { id: 'alg-es512', category: 'alg', token: { header: { alg: 'ES512' } }, expect: OK, basis: 'D' },
  ...(['none', 'NONE', 'nOnE', 'None', 'none ', ''] as const).map((a): AttackCase => ({
    id: `alg-${JSON.stringify(a)}-unsigned`,
    category: 'alg',
    token: { header: { alg: a }, signature: 'none' },
    expect: invalid,
    basis: 'D',
  })),
  {
    id: 'alg-none-with-rs256-signature',
    category: 'alg',
    token: { header: { alg: 'none' } },
    expect: invalid,
    basis: 'D',
  },
  ...([null, 256, ['RS256'], { RS256: true }, true] as const).map((a): AttackCase => ({
    id: `alg-${JSON.stringify(a)}`,
    category: 'alg',
    token: { header: { alg: a } },
    expect: invalid,
    basis: 'U',
  })),
  {
    id: 'alg-missing',
    category: 'alg',
    token: { header: { alg: undefined } },
    expect: invalid,
    basis: 'U',
  },
  ...(['HS256', 'HS384', 'HS512'] as const).map((a): AttackCase => ({
    id: `alg-${a}-public-pem`,
    category: 'alg',
    token: { header: { alg: a }, signature: 'hmac-pem' },
    expect: invalid,
    basis: 'D',
  })),
  ...(['hmac-der', 'hmac-jwk', 'hmac-n'] as const).map((s): AttackCase => ({
    id: `alg-HS256-${s}`,
    category: 'alg',
    token: { header: { alg: 'HS256' }, signature: s },
    expect: invalid,
    basis: 'D',
  })),
  {
    id: 'alg-HS256-ec-public-pem',
    category: 'alg',
    token: { header: { alg: 'HS256', kid: 'ec256' }, key: 'ec256', signature: 'hmac-pem' },
    expect: invalid,
    basis: 'D',
  },
  ...(['rs256', 'RS256 ', ' RS256', 'Rs256', 'RS256\u0000'] as const).map((a): AttackCase => ({
    id: `alg-${JSON.stringify(a)}-spelling`,
    category: 'alg',
    token: { header: { alg: a } },
    expect: invalid,
    basis: 'U',
  })),
  ...(['PS256', 'PS384', 'PS512'] as const).map((a): AttackCase => ({
    id: `alg-${a}-real-pss`,
    category: 'alg',
    token: { header: { alg: a } },
    expect: invalid,
    basis: 'D',
  })),
  ...(['EdDSA', 'ES256K', 'RSA-OAEP', 'dir', 'RS1'] as const).map((a): AttackCase => ({
    id: `alg-${a}`,
    category: 'alg',
    token: { header: { alg: a } },
    expect: invalid,
    basis: 'D',
  })),
  {
    id: 'alg-RS256-header-EC-signature',
    category: 'alg',
    token: { header: { alg: 'RS256', kid: 'rsa1' }, key: 'ec256' },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'alg-ES256-with-rsa-kid',
    category: 'alg',
    token: { header: { alg: 'ES256', kid: 'rsa1' } },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'alg-ES256-der-signature',
    category: 'alg',
    token: { header: { alg: 'ES256' }, signature: 'der' },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'alg-ES256-signed-by-P384-key',
    category: 'alg',
    token: { header: { alg: 'ES256', kid: 'ec256' }, key: 'ec384' },
    expect: invalid,
    basis: 'U',
  },
]

const signature: AttackCase[] = [
  ...(['bitflip', 'truncated', 'none'] as const).map((s): AttackCase => ({
    id: `sig-${s}`,
    category: 'signature',
    token: { signature: s },
    expect: invalid,
    basis: 'D',
  })),
  {
    id: 'sig-AA',
    category: 'signature',
    token: { mutate: segment(2, () => 'AA') },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-doubled',
    category: 'signature',
    token: { mutate: segment(2, (s) => s + s) },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-payload-changed-after-signing',
    category: 'signature',
    token: {
      mutate: (t, c) =>
        segment(1, () => b64url(JSON.stringify({ ...honestClaims(c), sub: 'admin' })))(t),
    },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-header-changed-after-signing',
    category: 'signature',
    token: { mutate: segment(0, () => b64url('{"alg":"RS256","kid":"rsa1","typ":"at+jwt"}')) },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-attacker-key-with-published-kid',
    category: 'signature',
    token: { header: { kid: 'rsa1' }, key: 'attacker-rsa' },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-attacker-key-without-kid',
    category: 'signature',
    token: { header: { kid: undefined }, key: 'attacker-rsa' },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'sig-other-published-key',
    category: 'signature',
    token: { header: { kid: 'rsa2' }, key: 'rsa1' },
    expect: invalid,
    basis: 'D',
  },
  {
    id: 'sig-attacker-ec-key',
    category: 'signature',
    token: { header: { alg: 'ES256', kid: 'ec256' }, key: 'attacker-ec' },
    expect: invalid,
    basis: 'D',
  },
]

const kid: AttackCase[] = [
  {
    id: 'kid-missing-valid-signature',
    category: 'kid',
    token: { header: { kid: undefined } },
    expect: OK,
    basis: 'U',
  },
  ...(
    [
      ['unknown', 'k9'],
      ['empty', ''],
      ['path-traversal', '../../../../etc/passwd'],
      ['absolute-path', '/dev/null'],
      ['url', 'https://attacker.example/jwks.json'],
      ['sql', "' OR '1'='1"],
      ['sql-comment', "rsa1' --"],
      ['nul', 'rsa1\u0000'],
      ['case', 'RSA1'],
      ['space', ' rsa1'],
      ['very-long', 'k'.repeat(6000)],
      ['unpublished-attacker', 'attacker-rsa'],
      ['ec-kid-with-rs256', 'ec256'],
    ] as const
  ).map(([name, k]): AttackCase => ({
    id: `kid-${name}`,
    category: 'kid',
    token: {
      header: { kid: k },
      ...(name === 'unpublished-attacker' ? { key: 'attacker-rsa' } : {}),
    },
    expect: noKey,
    basis: name === 'unknown' ? 'O' : 'U',
  })),
  ...(
    [
      ['number', 1],
      ['null', null],
      ['array', ['rsa1']],
      ['object', { $ne: null }],
      ['boolean', true],
    ] as const
  ).map(([name, k]): AttackCase => ({
    id: `kid-${name}`,
    category: 'kid',
    token: { header: { kid: k } },
    expect: invalid,
    basis: 'U',
  })),
]

const header: AttackCase[] = [
  {
    id: 'header-jku-attacker-jwks',
    category: 'header',
    token: {
      header: (c) => ({ kid: 'attacker-rsa', jku: `${c.url('attacker')}/.well-known/jwks.json` }),
      key: 'attacker-rsa',
    },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'header-jku-with-published-kid',
    category: 'header',
    token: {
      header: (c) => ({ kid: 'rsa1', jku: `${c.url('attacker')}/.well-known/jwks.json` }),
      key: 'attacker-rsa',
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'header-x5u-attacker',
    category: 'header',
    token: {
      header: (c) => ({ kid: 'attacker-rsa', x5u: `${c.url('attacker')}/cert.pem` }),
      key: 'attacker-rsa',
    },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'header-embedded-jwk-attacker-kid',
    category: 'header',
    token: {
      header: (c) => ({ kid: 'attacker-rsa', jwk: c.keys.jwk('attacker-rsa') }),
      key: 'attacker-rsa',
    },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'header-embedded-jwk-no-kid',
    category: 'header',
    token: {
      header: (c) => ({ kid: undefined, jwk: c.keys.jwk('attacker-rsa') }),
      key: 'attacker-rsa',
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'header-embedded-jwk-published-kid',
    category: 'header',
    token: {
      header: (c) => ({ kid: 'rsa1', jwk: c.keys.jwk('attacker-rsa') }),
      key: 'attacker-rsa',
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'header-x5c-bogus',
    category: 'header',
    token: { header: { kid: 'rsa1', x5c: ['MIIBbogus'] }, key: 'attacker-rsa' },
    expect: invalid,
    basis: 'U',
  },
  ...(
    [
      ['exp', ['exp']],
      ['empty', []],
      ['b64', ['b64']],
      ['string', 'exp'],
    ] as const
  ).map(([name, crit]): AttackCase => ({
    id: `header-crit-${name}`,
    category: 'header',
    token: { header: { crit, ...(name === 'b64' ? { b64: false } : {}) } },
    expect: invalid,
    basis: 'U',
  })),
  ...(
    [
      ['typ-at+jwt', { typ: 'at+jwt' }],
      ['typ-missing', { typ: undefined }],
      ['cty-jwt', { cty: 'JWT' }],
      ['b64-false-without-crit', { b64: false }],
      ['proto-member', { __proto__: { alg: 'none' } }],
      ['unknown-members', { x: 1, y: [1, 2], z: { a: null } }],
    ] as const
  ).map(([name, h]): AttackCase => ({
    id: `header-${name}`,
    category: 'header',
    token:
      name === 'proto-member'
        ? { rawHeader: '{"alg":"RS256","kid":"rsa1","__proto__":{"alg":"none"}}' }
        : { header: h as Record<string, unknown> },
    expect: OK,
    basis: 'U',
  })),
  {
    id: 'header-duplicate-alg',
    category: 'header',
    token: { rawHeader: '{"alg":"none","alg":"RS256","kid":"rsa1"}' },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'header-duplicate-kid',
    category: 'header',
    token: { rawHeader: '{"alg":"RS256","kid":"k9","kid":"rsa1"}' },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'header-duplicate-alg-escaped',
    category: 'header',
    token: { rawHeader: '{"alg":"none","\\u0061lg":"RS256","kid":"rsa1"}' },
    expect: invalid,
    basis: 'U',
  },
]

const goodIss = (c: CraftContext): string => c.url('good')
const iss: AttackCase[] = [
  ...(
    [
      ['missing', undefined],
      ['number', 1],
      ['array', 'ARRAY'],
      ['null', null],
      ['object', { url: 'x' }],
    ] as const
  ).map(([name, v]): AttackCase => ({
    id: `iss-${name}`,
    category: 'iss',
    token: { claims: (c) => ({ iss: v === 'ARRAY' ? [goodIss(c)] : v }) },
    expect: missingIss,
    basis: 'U',
  })),
  ...(
    [
      ['empty', () => ''],
      ['trailing-slash', (c) => `${goodIss(c)}/`],
      ['scheme-case', (c) => goodIss(c).replace('http:', 'HTTP:')],
      ['path-case', (c) => goodIss(c).replace('/good', '/Good')],
      ['dot-segment', (c) => `${goodIss(c)}/../good`],
      ['query', (c) => `${goodIss(c)}?x=1`],
      ['fragment', (c) => `${goodIss(c)}#x`],
      ['userinfo', (c) => goodIss(c).replace('http://', 'http://user@')],
      ['trailing-space', (c) => `${goodIss(c)} `],
      ['leading-space', (c) => ` ${goodIss(c)}`],
      ['encoded-path', (c) => goodIss(c).replace('/good', '/%67ood')],
      ['remote-http', () => 'http://issuer.example.com'],
      ['other-https', () => 'https://token.actions.githubusercontent.com'],
      ['no-scheme', (c) => goodIss(c).replace('http://', '')],
      ['very-long', (c) => `${goodIss(c)}/${'a'.repeat(3000)}`],
      ['localhost-alias', (c) => goodIss(c).replace('127.0.0.1', 'localhost')],
    ] as const satisfies ReadonlyArray<readonly [string, (c: CraftContext) => string]>
  ).map(([name, f]): AttackCase => ({
    id: `iss-${name}`,
    category: 'iss',
    token: { claims: (c) => ({ iss: f(c) }) },
    expect: noProvider(f),
    basis: name === 'trailing-slash' ? 'O' : 'D',
  })),
  {
    id: 'iss-https-for-http-provider',
    category: 'iss',
    token: { claims: (c) => ({ iss: goodIss(c).replace('http://', 'https://') }) },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'iss-other-corpus-issuer-with-good-key',
    category: 'iss',
    token: { issuer: 'mirror' },
    expect: OK,
    basis: 'D',
  },
]

const aud: AttackCase[] = [
  {
    id: 'aud-missing',
    category: 'aud',
    token: { claims: { aud: undefined } },
    expect: missingAud,
    basis: 'O',
  },
  ...(
    [
      ['empty', ''],
      ['empty-array', []],
      ['null', null],
      ['number', 123],
      ['object', {}],
      ['boolean', true],
      ['upper', 'STS.AMAZONAWS.COM'],
      ['partial-case', 'STS.amazonaws.com'],
      ['trailing-space', 'sts.amazonaws.com '],
      ['nul', 'sts.amazonaws.com\u0000'],
      ['prefix', 'sts.amazonaws.co'],
      ['suffix', 'sts.amazonaws.com.attacker.example'],
      ['array-of-wrong-case', ['STS.amazonaws.com']],
      ['nested-array', [['sts.amazonaws.com']]],
      ['wildcard', '*'],
    ] as const
  ).map(([name, v]): AttackCase => ({
    id: `aud-${name}`,
    category: 'aud',
    token: { claims: { aud: v } },
    expect: wrongAud,
    basis: name === 'upper' || name === 'partial-case' ? 'O' : 'U',
  })),
  {
    id: 'aud-array-with-registered',
    category: 'aud',
    token: { claims: { aud: ['x', 'sts.amazonaws.com'] } },
    expect: OK,
    basis: 'U',
  },
  {
    id: 'aud-array-with-number-and-registered',
    category: 'aud',
    token: { claims: { aud: [123, 'sts.amazonaws.com'] } },
    expect: OK,
    basis: 'U',
  },
  {
    id: 'aud-wrong-and-expired',
    category: 'aud',
    token: { claims: (c) => ({ aud: 'x', exp: c.now - 10 }) },
    expect: wrongAud,
    basis: 'U',
  },
]

const time: AttackCase[] = [
  ...(
    [
      ['exp-missing', () => ({ exp: undefined })],
      ['exp-string', (c) => ({ exp: String(c.now + 600) })],
      ['exp-float', (c) => ({ exp: c.now + 600.5 })],
      ['exp-huge', () => ({ exp: 1e20 })],
      ['exp-2^53', () => ({ exp: 2 ** 53 })],
      ['exp-null', () => ({ exp: null })],
      ['exp-true', () => ({ exp: true })],
      ['exp-array', (c) => ({ exp: [c.now + 600] })],
      ['exp-object', (c) => ({ exp: { value: c.now + 600 } })],
      ['nbf-future-301', (c) => ({ nbf: c.now + 301 })],
      ['nbf-future-day', (c) => ({ nbf: c.now + 86400 })],
      ['nbf-string', () => ({ nbf: '0' })],
      ['nbf-float', (c) => ({ nbf: c.now - 0.5 })],
      ['nbf-null', () => ({ nbf: null })],
      ['iat-string', (c) => ({ iat: String(c.now) })],
      ['iat-float', (c) => ({ iat: c.now + 0.25 })],
      ['iat-huge', () => ({ iat: 1e300 })],
    ] as const satisfies ReadonlyArray<
      readonly [string, (c: CraftContext) => Record<string, unknown>]
    >
  ).map(([name, claims]): AttackCase => ({
    id: `time-${name}`,
    category: 'time',
    token: { claims },
    expect: invalid,
    basis: 'U',
  })),
  ...(
    [
      ['exp-minus-one', () => -1],
      ['exp-zero', () => 0],
      ['exp-now', (c) => c.now],
      ['exp-one-second-ago', (c) => c.now - 1],
      ['exp-year-ago', (c) => c.now - 31_536_000],
    ] as const satisfies ReadonlyArray<readonly [string, (c: CraftContext) => number]>
  ).map(([name, exp]): AttackCase => ({
    id: `time-${name}`,
    category: 'time',
    token: { claims: (c) => ({ exp: exp(c) }) },
    expect: expired(exp),
    basis: 'O',
  })),
  ...(
    [
      ['exp-in-one-second', (c) => ({ exp: c.now + 1 })],
      ['exp-max-safe-integer', () => ({ exp: Number.MAX_SAFE_INTEGER })],
      ['exp-in-milliseconds', (c) => ({ exp: (c.now + 600) * 1000 })],
      ['nbf-future-300', (c) => ({ nbf: c.now + 300 })],
      ['nbf-negative', () => ({ nbf: -5 })],
      ['iat-future', (c) => ({ iat: c.now + 3600 })],
      ['iat-missing', () => ({ iat: undefined })],
      ['iat-negative', () => ({ iat: -1 })],
    ] as const satisfies ReadonlyArray<
      readonly [string, (c: CraftContext) => Record<string, unknown>]
    >
  ).map(([name, claims]): AttackCase => ({
    id: `time-${name}`,
    category: 'time',
    token: { claims },
    expect: OK,
    basis: name === 'exp-in-one-second' ? 'O' : 'U',
  })),
  {
    id: 'time-expired-unknown-kid',
    category: 'time',
    token: { header: { kid: 'k9' }, claims: (c) => ({ exp: c.now - 10 }) },
    expect: noKey,
    basis: 'U',
  },
  {
    id: 'time-expired-bad-signature',
    category: 'time',
    token: { signature: 'bitflip', claims: (c) => ({ exp: c.now - 10 }) },
    expect: invalid,
    basis: 'U',
  },
]

const subject: AttackCase[] = [
  {
    id: 'sub-strict-baseline',
    category: 'subject',
    role: 'strict',
    token: { claims: strictClaims() },
    expect: OK,
    basis: 'D',
  },
  ...(
    [
      ['other-org', { sub: `org:${OTHER_ORG}:project:prj_1:environment:env_1:type:deploy` }],
      ['prefix-only', { sub: `org:${STRICT_ORG}` }],
      ['id-extended', { sub: `org:${STRICT_ORG}x:project:prj_1` }],
      ['upper-prefix', { sub: `ORG:${STRICT_ORG}:project:prj_1` }],
      ['missing', { sub: undefined }],
      ['number', { sub: 42 }],
      ['array', { sub: [`org:${STRICT_ORG}:project:prj_1`] }],
      ['object', { sub: { toString: `org:${STRICT_ORG}:project:prj_1` } }],
      ['leading-space', { sub: ` org:${STRICT_ORG}:project:prj_1` }],
      ['tag-other-org', tags({ organizationId: [OTHER_ORG] })],
      ['tag-missing', { [TAGS]: undefined }],
      ['tag-trailing-space', tags({ organizationId: [`${STRICT_ORG} `] })],
      ['tag-empty', tags({ organizationId: [''] })],
      [
        'tags-http-claim',
        {
          [TAGS]: undefined,
          'http://aws.amazon.com/tags': { principal_tags: { organizationId: [STRICT_ORG] } },
        },
      ],
      [
        'tags-claim-trailing-slash',
        { [TAGS]: undefined, [`${TAGS}/`]: { principal_tags: { organizationId: [STRICT_ORG] } } },
      ],
      ['tags-as-top-level-claim', { [TAGS]: undefined, organizationId: STRICT_ORG }],
      ['foreign-audience', { aud: `aws:${OTHER_ORG}` }],
      [
        'aud-array-foreign-azp',
        { aud: [`aws:${STRICT_ORG}`, `aws:${OTHER_ORG}`], azp: `aws:${OTHER_ORG}` },
      ],
      ['aud-array-foreign-first', { aud: [`aws:${OTHER_ORG}`, `aws:${STRICT_ORG}`] }],
    ] as const
  ).map(([name, over]): AttackCase => ({
    id: `sub-${name}`,
    category: 'subject',
    role: 'strict',
    token: { claims: strictClaims(over as Record<string, unknown>) },
    expect: denied,
    basis: 'D',
  })),
  {
    id: 'sub-tag-key-case-insensitive',
    category: 'subject',
    role: 'strict',
    token: { claims: strictClaims(tags({ OrganizationId: [STRICT_ORG] })) },
    expect: OK,
    basis: 'D',
  },
  {
    id: 'sub-tag-bare-string',
    category: 'subject',
    role: 'strict',
    token: { claims: strictClaims(tags({ organizationId: STRICT_ORG })) },
    expect: OK,
    basis: 'U',
  },
  {
    id: 'sub-tag-two-values',
    category: 'subject',
    role: 'strict',
    token: { claims: strictClaims(tags({ organizationId: [STRICT_ORG, OTHER_ORG] })) },
    expect: tagError(
      'Session tag "organizationId" must have exactly one value; multi-valued session tags are not supported.',
    ),
    basis: 'D',
  },
  {
    id: 'sub-tag-duplicate-by-case',
    category: 'subject',
    role: 'strict',
    token: {
      claims: strictClaims(tags({ organizationId: [STRICT_ORG], ORGANIZATIONID: [OTHER_ORG] })),
    },
    expect: tagError(awsMessages.duplicateTags),
    basis: 'O',
  },
  {
    id: 'sub-tag-duplicate-member',
    category: 'subject',
    role: 'strict',
    token: {
      rawPayload: (c) =>
        rawClaims(
          c,
          `,"sub":"org:${STRICT_ORG}:project:p","${TAGS}":{"principal_tags":{"organizationId":["org_corpusbravo0002"],"organizationId":["${STRICT_ORG}"]}}`,
        ).replace('"sub":"user-123456",', ''),
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'sub-duplicate-member',
    category: 'subject',
    role: 'strict',
    token: {
      rawPayload: (c) =>
        rawClaims(
          c,
          `,"sub":"org:${STRICT_ORG}:project:p","${TAGS}":{"principal_tags":{"organizationId":["${STRICT_ORG}"]}}`,
        ),
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'sub-duplicate-member-escaped',
    category: 'subject',
    role: 'strict',
    token: {
      rawPayload: (c) =>
        rawClaims(
          c,
          `,"s\\u0075b":"org:${STRICT_ORG}:project:p","${TAGS}":{"principal_tags":{"organizationId":["${STRICT_ORG}"]}}`,
        ),
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'sub-same-claims-from-another-registered-issuer',
    category: 'subject',
    role: 'strict',
    token: {
      issuer: 'attacker',
      key: 'attacker-rsa',
      claims: (c) => ({ ...strictClaims(), iss: c.url('attacker') }),
    },
    expect: denied,
    basis: 'D',
  },
  {
    id: 'sub-tags-without-tag-session',
    category: 'subject',
    role: 'webonly',
    token: { claims: tags({ Project: ['a'] }) },
    expect: denied,
    basis: 'D',
  },
  {
    id: 'sub-webonly-without-tags',
    category: 'subject',
    role: 'webonly',
    token: {},
    expect: OK,
    basis: 'D',
  },
  {
    id: 'sub-source-identity-without-permission',
    category: 'subject',
    role: 'webonly',
    token: { claims: { [SOURCE]: 'Admin' } },
    expect: denied,
    basis: 'D',
  },
]

const tagShapes: AttackCase[] = [
  ...(
    [
      ['claim-string', 'x'],
      ['claim-array', [{ principal_tags: {} }]],
      ['claim-null', null],
      ['claim-number', 1],
    ] as const
  ).map(([name, v]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token: { claims: { [TAGS]: v } },
    expect: tagError(`The claim ${TAGS} must be a JSON object.`),
    basis: 'U',
  })),
  ...(
    [
      ['principal-string', 'organizationId=org_a'],
      ['principal-array', [['organizationId', 'org_a']]],
      ['principal-number', 7],
    ] as const
  ).map(([name, v]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token: { claims: tags(v) },
    expect: tagError('principal_tags must be a JSON object.'),
    basis: 'U',
  })),
  ...(
    [
      [
        'value-two',
        { Dept: ['a', 'b'] },
        'Session tag "Dept" must have exactly one value; multi-valued session tags are not supported.',
      ],
      [
        'value-empty-array',
        { Dept: [] },
        'Session tag "Dept" must have exactly one value; multi-valued session tags are not supported.',
      ],
      ['value-number', { Dept: [1] }, 'The value of session tag "Dept" must be a string.'],
      ['value-object', { Dept: { v: 'a' } }, 'The value of session tag "Dept" must be a string.'],
      ['value-null', { Dept: null }, 'The value of session tag "Dept" must be a string.'],
      [
        'key-aws-prefix',
        { 'aws:PrincipalTag': ['x'] },
        'Tag key "aws:PrincipalTag" uses the reserved prefix aws:.',
      ],
      ['key-AWS-prefix', { 'AWS:x': ['x'] }, 'Tag key "AWS:x" uses the reserved prefix aws:.'],
      [
        'key-129',
        { ['k'.repeat(129)]: ['x'] },
        `Tag key "${'k'.repeat(129)}" must have length from 1 to 128.`,
      ],
      ['key-empty', { '': ['x'] }, 'Tag key "" must have length from 1 to 128.'],
      [
        'value-257',
        { Dept: ['v'.repeat(257)] },
        'The value of tag "Dept" must have length less than or equal to 256.',
      ],
      [
        'key-dollar',
        { $where: ['x'] },
        'Tag "$where" contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].',
      ],
      [
        'value-script',
        { Dept: ['<script>'] },
        'Tag "Dept" contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].',
      ],
      [
        'value-newline',
        { Dept: ['a\nb'] },
        'Tag "Dept" contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].',
      ],
      [
        'value-quote-injection',
        { Dept: ['x","organizationId":["org_a'] },
        'Tag "Dept" contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].',
      ],
      ['duplicate-case', { Dept: ['a'], dept: ['b'] }, awsMessages.duplicateTags],
      [
        'count-51',
        manyTags(51),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
      ],
      [
        'count-400',
        manyTags(400),
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
      ],
    ] as const
  ).map(([name, principal, message]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token: { claims: tags(principal) },
    expect: tagError(message),
    basis: name === 'duplicate-case' ? 'O' : 'D',
  })),
  ...(
    [
      ['transitive-unknown', { Dept: ['a'] }, ['Team'], awsMessages.transitiveNotInTags],
      [
        'transitive-string',
        { Dept: ['a'] },
        'Dept',
        'transitive_tag_keys must be an array of strings.',
      ],
      [
        'transitive-number',
        { Dept: ['a'] },
        [1],
        'transitive_tag_keys must be an array of strings.',
      ],
    ] as const
  ).map(([name, principal, transitive, message]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token: { claims: tags(principal, transitive) },
    expect: tagError(message),
    basis: name === 'transitive-unknown' ? 'O' : 'U',
  })),
  ...(
    [
      ['source-number', 7, 'The source identity claim must be a string.'],
      ['source-short', 'a', 'The source identity must have length from 2 to 64.'],
      ['source-long', 'a'.repeat(65), 'The source identity must have length from 2 to 64.'],
      // `:` is outside the pattern, so the pattern refuses an `aws:` prefix before the prefix rule.
      [
        'source-aws-prefix',
        'aws:admin',
        'The source identity must satisfy regular expression pattern: [\\w+=,.@-]*',
      ],
      [
        'source-space',
        'a b',
        'The source identity must satisfy regular expression pattern: [\\w+=,.@-]*',
      ],
    ] as const
  ).map(([name, v, message]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token: { claims: { [SOURCE]: v } },
    expect: tagError(message),
    basis: 'D',
  })),
  ...(
    [
      ['count-50', tags(manyTags(50))],
      ['proto-key', tags({ __proto__: ['x'] })],
      ['principal-null', tags(null)],
      ['transitive-known', tags({ Dept: ['a'] }, ['Dept'])],
      ['source-identity', { [SOURCE]: 'Admin' }],
      ['unicode-value', tags({ Dept: ['Ünïcode café'] })],
    ] as const
  ).map(([name, claims]): AttackCase => ({
    id: `tags-${name}`,
    category: 'tags',
    token:
      name === 'proto-key'
        ? { rawPayload: (c) => rawClaims(c, `,"${TAGS}":{"principal_tags":{"__proto__":["x"]}}`) }
        : { claims: claims as Record<string, unknown> },
    expect: OK,
    basis: name === 'proto-key' || name === 'principal-null' ? 'U' : 'D',
  })),
]

const structure: AttackCase[] = [
  ...(
    [
      ['one-segment', (t: string) => t.split('.')[0] ?? ''],
      ['two-segments', (t: string) => t.split('.').slice(0, 2).join('.')],
      ['four-segments', (t: string) => `${t}.e30`],
      ['trailing-dot', (t: string) => `${t}.`],
      ['leading-dot', (t: string) => `.${t}`],
      ['six-segments', (t: string) => `${t}.a.b.c`],
      ['jwe-five-segments', (t: string) => `${t.split('.')[0]}..AAAA.BBBB.CCCC`],
      ['empty-header', segment(0, () => '')],
      ['empty-payload', segment(1, () => '')],
      ['signature-padded', segment(2, (s) => `${s}==`)],
      ['signature-base64', segment(2, (s) => toBase64(s) + (toBase64(s) === s ? '+' : ''))],
      ['space-inside-payload', segment(1, (s) => `${s.slice(0, 10)} ${s.slice(10)}`)],
      ['leading-space', (t: string) => ` ${t}`],
      ['trailing-newline', (t: string) => `${t}\n`],
      ['newline-between-segments', (t: string) => t.replace('.', '.\n')],
      ['tab-inside-header', segment(0, (s) => `${s.slice(0, 5)}\t${s.slice(5)}`)],
      ['percent-encoded-dot', (t: string) => t.replace('.', '%2E')],
      ['non-ascii-in-signature', segment(2, (s) => `${s.slice(0, -1)}é`)],
    ] as const
  ).map(([name, mutate]): AttackCase => ({
    id: `structure-${name}`,
    category: 'structure',
    token: { mutate },
    expect: invalid,
    basis: 'U',
  })),
  ...(
    [
      ['dots-only', '....'],
      ['abc.def', 'abc.def'],
      ['not-base64', 'a!b.c$d.e%f'],
      ['bearer-prefix', 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.AAAA'],
      ['json-not-jwt', '{"alg":"none"}'],
    ] as const
  ).map(([name, raw]): AttackCase => ({
    id: `structure-${name}`,
    category: 'structure',
    token: { raw },
    expect: invalid,
    basis: 'D',
  })),
  ...(
    [
      ['segments-padded', { encode: (j: string) => `${b64url(j)}=` }],
      [
        'payload-base64-alphabet',
        {
          encode: (j: string) => Buffer.from(j).toString('base64').replace(/=+$/u, ''),
          claims: { x: '???>>>???>>>' },
        },
      ],
      ['payload-padded', { encode: (j: string) => Buffer.from(`${j} `).toString('base64') }],
      ['header-not-json', { rawHeader: 'RS256' }],
      ['header-array', { rawHeader: '[{"alg":"RS256","kid":"rsa1"}]' }],
      ['header-string', { rawHeader: '"RS256"' }],
      ['header-null', { rawHeader: 'null' }],
      ['payload-not-json', { rawPayload: 'hello' }],
      ['payload-array', { rawPayload: (c: CraftContext) => `[${rawClaims(c, '')}]` }],
      ['payload-null', { rawPayload: 'null' }],
      ['payload-number', { rawPayload: '1' }],
      ['payload-string', { rawPayload: '"sub"' }],
      ['payload-bom', { rawPayload: (c: CraftContext) => `\uFEFF${rawClaims(c, '')}` }],
      ['payload-trailing-garbage', { rawPayload: (c: CraftContext) => `${rawClaims(c, '')}x` }],
      ['payload-two-objects', { rawPayload: (c: CraftContext) => `${rawClaims(c, '')}{}` }],
      ['payload-comment', { rawPayload: (c: CraftContext) => rawClaims(c, '/* c */') }],
      ['payload-single-quotes', { rawPayload: "{'sub':'x'}" }],
      ['payload-trailing-comma', { rawPayload: (c: CraftContext) => rawClaims(c, ',') }],
      [
        'payload-duplicate-exp',
        { rawPayload: (c: CraftContext) => rawClaims(c, `,"exp":${c.now + 99999}`) },
      ],
      [
        'payload-duplicate-aud',
        { rawPayload: (c: CraftContext) => rawClaims(c, ',"aud":"other"') },
      ],
      [
        'payload-duplicate-iss',
        { rawPayload: (c: CraftContext) => rawClaims(c, ',"iss":"https://other.example"') },
      ],
      ['payload-nan', { rawPayload: (c: CraftContext) => rawClaims(c, ',"x":NaN') }],
    ] as const
  ).map(([name, recipe]): AttackCase => ({
    id: `structure-${name}`,
    category: 'structure',
    token: recipe,
    expect: invalid,
    basis: 'U',
  })),
]

const size: AttackCase[] = [
  {
    id: 'size-20001-characters',
    category: 'size',
    token: { raw: 'x'.repeat(20001) },
    expect: validation(
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000",
    ),
    basis: 'D',
  },
  {
    id: 'size-valid-token-over-20000',
    category: 'size',
    token: { claims: { pad: 'p'.repeat(15000) } },
    expect: validation(
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000",
    ),
    basis: 'D',
  },
  {
    id: 'size-3-characters',
    category: 'size',
    token: { raw: 'eyJ' },
    expect: validation(
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
    ),
    basis: 'D',
  },
  {
    id: 'size-valid-token-near-20000',
    category: 'size',
    token: { claims: { pad: 'p'.repeat(14500) } },
    expect: OK,
    basis: 'D',
  },
  {
    id: 'size-body-over-1-mib',
    category: 'size',
    token: {},
    body: (t) =>
      `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&WebIdentityToken=${t}&Pad=${'x'.repeat(1_100_000)}`,
    expect: { status: 413, code: 'RequestEntityTooLarge' },
    basis: 'U',
  },
  {
    id: 'size-header-nested-25',
    category: 'size',
    token: { header: { x: nested(25) } },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'size-payload-nested-25',
    category: 'size',
    token: { claims: { x: nested(25) } },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'size-payload-bracket-bomb',
    category: 'size',
    token: { rawPayload: '['.repeat(14000) },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'size-payload-nested-in-string-is-fine',
    category: 'size',
    token: { claims: { x: '['.repeat(5000) } },
    expect: OK,
    basis: 'U',
  },
  {
    id: 'size-exp-400-digits',
    category: 'size',
    token: {
      rawPayload: (c) => rawClaims(c, '').replace(/"exp":\d+/u, `"exp":1${'0'.repeat(400)}`),
    },
    expect: invalid,
    basis: 'U',
  },
  {
    id: 'size-1000-claims',
    category: 'size',
    token: { claims: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`c${i}`, i])) },
    expect: OK,
    basis: 'U',
  },
  {
    id: 'size-duplicate-member-bomb',
    category: 'size',
    token: { rawPayload: (c) => rawClaims(c, ',"x":1'.repeat(2000)) },
    expect: invalid,
    basis: 'U',
  },
]

/** `n` published-looking keys nobody signs with. */
const filler = (keys: CorpusKeys, n: number): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({ ...keys.jwk('attacker-rsa'), kid: `filler-${i}` }))

/** Hostile issuers, by name (each one an IAM OIDC provider of the corpus). */
export const issuerBehaviours: Readonly<Record<string, IssuerBehaviour>> = {
  mirror: {},
  attacker: { jwks: { body: ({ keys }) => JSON.stringify(keys.jwks(['attacker-rsa'])) } },
  'slow-discovery': { discovery: { delayMs: SLOW } },
  'slow-jwks': { jwks: { delayMs: SLOW } },
  'slow-split': {
    discovery: { delayMs: Math.round(CORPUS_TIMEOUT_MS * 0.6) },
    jwks: { delayMs: Math.round(CORPUS_TIMEOUT_MS * 0.6) },
  },
  'trickle-discovery': { discovery: { trickleMs: 50 } },
  'trickle-jwks': { jwks: { trickleMs: 50 } },
  'garbage-discovery': { discovery: { body: 'not json{' } },
  'html-discovery': {
    discovery: { body: '<html><body>login</body></html>', contentType: 'text/html' },
  },
  'discovery-array': { discovery: { body: '[]' } },
  'discovery-null': { discovery: { body: 'null' } },
  'discovery-empty-object': { discovery: { body: '{}' } },
  'discovery-empty-body': { discovery: { body: ' ' } },
  'jwks-uri-number': { discovery: { body: '{"jwks_uri":42}' } },
  'jwks-uri-file': { discovery: { body: '{"jwks_uri":"file:///etc/passwd"}' } },
  'jwks-uri-remote-http': { discovery: { body: '{"jwks_uri":"http://jwks.example.com/keys"}' } },
  'jwks-uri-relative': { discovery: { body: '{"jwks_uri":"/.well-known/jwks.json"}' } },
  'jwks-uri-other-issuer': {
    discovery: {
      body: ({ origin }) => JSON.stringify({ jwks_uri: `${origin}/good/.well-known/jwks.json` }),
    },
  },
  'discovery-404': { discovery: { status: 404 } },
  'discovery-500': { discovery: { status: 500 } },
  'discovery-redirect': {
    discovery: { status: 302, headers: { location: '/good/.well-known/openid-configuration' } },
  },
  'jwks-redirect': { jwks: { status: 301, headers: { location: '/good/.well-known/jwks.json' } } },
  'discovery-reset': { discovery: { destroy: true } },
  'jwks-reset': { jwks: { destroy: true } },
  'discovery-2mib': { discovery: { streamBytes: 2 * 1024 * 1024 } },
  'jwks-2mib': { jwks: { streamBytes: 2 * 1024 * 1024 } },
  'jwks-garbage': { jwks: { body: 'not json' } },
  'jwks-array': { jwks: { body: '[]' } },
  'jwks-keys-object': { jwks: { body: '{"keys":{}}' } },
  'jwks-keys-garbage': { jwks: { body: '{"keys":[1,"x",null,{},[]]}' } },
  'jwks-enc-only': {
    jwks: { body: ({ keys }) => JSON.stringify({ keys: [{ ...keys.jwk('rsa1'), use: 'enc' }] }) },
  },
  'jwks-alg-mismatch': {
    jwks: { body: ({ keys }) => JSON.stringify({ keys: [{ ...keys.jwk('rsa1'), alg: 'RS512' }] }) },
  },
  'jwks-oct-key': { jwks: { body: '{"keys":[{"kty":"oct","kid":"rsa1","k":"c2VjcmV0"}]}' } },
  'jwks-101-keys': {
    jwks: {
      body: ({ keys }) => JSON.stringify({ keys: [...filler(keys, 100), keys.jwk('rsa1')] }),
    },
  },
  'jwks-100-keys': {
    jwks: { body: ({ keys }) => JSON.stringify({ keys: [...filler(keys, 99), keys.jwk('rsa1')] }) },
  },
  'jwks-broken-key-first': {
    jwks: {
      body: ({ keys }) =>
        JSON.stringify({
          keys: [{ kty: 'RSA', kid: 'rsa1', n: 'AA', e: 'AQAB' }, keys.jwk('rsa1')],
        }),
    },
  },
  'wrong-content-type': {
    discovery: { contentType: 'text/plain' },
    jwks: { contentType: 'application/octet-stream' },
  },
  'gzip-encoded': {
    discovery: { headers: { 'content-encoding': 'gzip' }, body: '\u001f\u008b\u0008garbage' },
  },
  'jwks-bom': { jwks: { body: ({ keys }) => `\uFEFF${JSON.stringify(keys.jwks())}` } },
  'discovery-issuer-mismatch': {
    discovery: {
      body: ({ base }) =>
        JSON.stringify({
          issuer: 'https://accounts.google.com',
          jwks_uri: `${base}/.well-known/jwks.json`,
        }),
    },
  },
}

const hostile: Array<[string, Expected, AttackCase['basis']]> = [
  ['mirror', OK, 'D'],
  ['slow-discovery', noKey, 'D'],
  ['slow-jwks', noKey, 'D'],
  ['slow-split', noKey, 'D'],
  ['trickle-discovery', noKey, 'D'],
  ['trickle-jwks', noKey, 'D'],
  ['garbage-discovery', noKey, 'U'],
  ['html-discovery', noKey, 'U'],
  ['discovery-array', noKey, 'U'],
  ['discovery-null', noKey, 'U'],
  ['discovery-empty-object', noKey, 'U'],
  ['discovery-empty-body', noKey, 'U'],
  ['jwks-uri-number', noKey, 'U'],
  ['jwks-uri-file', noKey, 'U'],
  ['jwks-uri-remote-http', noKey, 'D'],
  ['jwks-uri-relative', noKey, 'U'],
  ['jwks-uri-other-issuer', OK, 'U'],
  ['discovery-404', noKey, 'D'],
  ['discovery-500', noKey, 'U'],
  ['discovery-redirect', noKey, 'U'],
  ['jwks-redirect', noKey, 'U'],
  ['discovery-reset', noKey, 'U'],
  ['jwks-reset', noKey, 'U'],
  ['discovery-2mib', noKey, 'U'],
  ['jwks-2mib', noKey, 'U'],
  ['jwks-garbage', noKey, 'U'],
  ['jwks-array', noKey, 'U'],
  ['jwks-keys-object', noKey, 'U'],
  ['jwks-keys-garbage', noKey, 'U'],
  ['jwks-enc-only', noKey, 'U'],
  ['jwks-alg-mismatch', noKey, 'U'],
  ['jwks-oct-key', noKey, 'U'],
  ['jwks-101-keys', noKey, 'O'],
  ['jwks-100-keys', OK, 'O'],
  ['jwks-broken-key-first', OK, 'U'],
  ['wrong-content-type', OK, 'U'],
  ['gzip-encoded', noKey, 'U'],
  ['jwks-bom', noKey, 'U'],
  ['discovery-issuer-mismatch', OK, 'U'],
]

const issuers: AttackCase[] = hostile.map(([name, expect, basis]) => ({
  id: `issuer-${name}`,
  category: 'issuer',
  token: { issuer: name },
  expect,
  basis,
}))

const request: AttackCase[] = [
  {
    id: 'request-provider-id-set',
    category: 'request',
    token: {},
    params: { ProviderId: 'www.amazon.com' },
    expect: { status: 400, code: 'InvalidParameterValue', message: awsMessages.providerIdForOidc },
    basis: 'U',
  },
  {
    id: 'request-role-of-other-account',
    category: 'request',
    token: {},
    params: { RoleArn: 'arn:aws:iam::999988887777:role/open' },
    expect: noProvider(goodIss),
    basis: 'D',
  },
  {
    id: 'request-role-missing',
    category: 'request',
    token: {},
    params: { RoleArn: 'arn:aws:iam::111122223333:role/Nope' },
    expect: denied,
    basis: 'U',
  },
  {
    id: 'request-role-arn-garbage',
    category: 'request',
    token: {},
    params: { RoleArn: 'nothing-valid-in-here' },
    expect: validation('nothing-valid-in-here is invalid'),
    basis: 'O',
  },
]

export const attackCases: readonly AttackCase[] = [
  ...alg,
  ...signature,
  ...kid,
  ...header,
  ...iss,
  ...aud,
  ...time,
  ...subject,
  ...tagShapes,
  ...structure,
  ...size,
  ...issuers,
  ...request,
]
