import { describe, expect, it } from 'vitest'
import { decodeToken, formatDecodedToken } from './decode.js'

const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0))
const now = Math.floor(NOW.getTime() / 1000)
const seg = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
): string => `${seg(header)}.${seg(claims)}.c2ln`

const good = {
  iss: 'https://keyless.example.com',
  aud: 'aws:org_a1b2c3d4e5f6g7h8',
  sub: 'org:org_a1b2c3d4e5f6g7h8:project:prj_1:environment:env_1:type:deploy',
  iat: now - 60,
  nbf: now - 60,
  exp: now + 540,
  'https://aws.amazon.com/tags': {
    principal_tags: { organizationId: ['org_a1b2c3d4e5f6g7h8'], projectId: ['prj_1'] },
    transitive_tag_keys: ['organizationId'],
  },
}

describe('decodeToken', () => {
  it('shows times in words and the session tags, with no warning for a good token', () => {
    const d = decodeToken(jwt(good), NOW)
    expect(d.warnings).toEqual([])
    expect(d.times.find((t) => t.claim === 'exp')?.words).toBe('expires in 9 min')
    expect(d.times.find((t) => t.claim === 'iat')?.words).toBe('issued 1 min ago')
    expect(d.sessionTags).toEqual([
      { key: 'organizationId', value: 'org_a1b2c3d4e5f6g7h8' },
      { key: 'projectId', value: 'prj_1' },
    ])
    const text = formatDecodedToken(d)
    expect(text).toContain('organizationId = org_a1b2c3d4e5f6g7h8  (transitive)')
    expect(text).toContain('exp: ')
    expect(text).toContain('Signature: not checked')
  })

  it.each([
    ['alg none', { ...good }, { alg: 'none' }, /alg "none" is not accepted/u],
    ['HS256', { ...good }, { alg: 'HS256', kid: 'k' }, /alg "HS256"/u],
    ['missing aud', { ...good, aud: undefined }, undefined, /Missing a required claim: aud/u],
    ['expired', { ...good, exp: now - 120 }, undefined, /ExpiredTokenException/u],
    ['float exp', { ...good, exp: now + 0.5 }, undefined, /exp is .* integer/u],
    [
      'http issuer',
      { ...good, iss: 'http://keyless.example.com' },
      undefined,
      /requires an https issuer/u,
    ],
    [
      '51 tags',
      {
        ...good,
        'https://aws.amazon.com/tags': {
          principal_tags: Object.fromEntries(
            Array.from({ length: 51 }, (_, i) => [`t${i}`, ['v']]),
          ),
        },
      },
      undefined,
      /session tags: .*Member must have length less than or equal to 50/u,
    ],
    [
      'multi-valued tag',
      { ...good, 'https://aws.amazon.com/tags': { principal_tags: { a: ['1', '2'] } } },
      undefined,
      /session tags: .*multi-valued session tags are not supported/u,
    ],
    [
      'case-duplicate tag keys',
      { ...good, 'https://aws.amazon.com/tags': { principal_tags: { Team: ['a'], team: ['b'] } } },
      undefined,
      /session tags: Duplicate tag keys found\. Please note that Tag keys are case insensitive\./u,
    ],
    [
      'transitive key not a tag',
      {
        ...good,
        'https://aws.amazon.com/tags': { principal_tags: { a: ['1'] }, transitive_tag_keys: ['b'] },
      },
      undefined,
      /session tags: The specified transitive tag key must be included in the requested tags\./u,
    ],
    [
      'long tag value',
      { ...good, 'https://aws.amazon.com/tags': { principal_tags: { a: ['x'.repeat(257)] } } },
      undefined,
      /session tags: .*must have length less than or equal to 256/u,
    ],
  ])('warns about %s', (_name, claims, header, warning) => {
    const d = decodeToken(jwt(claims, header), NOW)
    expect(d.warnings.join('\n')).toMatch(warning)
  })

  it.each([
    ['plain text', 'hello world', /3 dot-separated segments/u],
    ['JWE', 'a.b.c.d.e', /encrypted token \(JWE/u],
    ['bad base64', '%%%.e30.x', /not base64url/u],
    [
      'non-JSON payload',
      `${seg({ alg: 'RS256' })}.${Buffer.from('nope').toString('base64url')}.x`,
      /not base64url-encoded JSON/u,
    ],
    ['array payload', `${seg({ alg: 'RS256' })}.${seg([1])}.x`, /not a JSON object/u],
  ])('refuses %s with input_unreadable', (_name, token, message) => {
    expect(() => decodeToken(token, NOW)).toThrow(message)
  })
})

describe('a token for Azure or Google Cloud', () => {
  const org = 'org_a1b2c3d4e5f6g7h8'
  const cases: ReadonlyArray<[string, Record<string, unknown>, string[], string[]]> = [
    [
      'gcp: names the cloud and how to check it',
      { aud: `gcp:${org}` },
      [
        `For: Google Cloud (aud gcp:${org}); \`keyless explain --cloud gcp\` says what it would answer`,
      ],
      [],
    ],
    [
      'gcp: a sub over 127 bytes',
      { aud: `gcp:${org}`, sub: `org:${org}:${'x'.repeat(110)}` },
      ['Warnings'],
      [
        "sub is 135 bytes: Google keeps at most 127 bytes of google.subject and refuses the exchange (shorten the credential's subject template)",
      ],
    ],
    [
      'azure: names the cloud',
      { aud: `azure:${org}` },
      [
        `For: Azure (aud azure:${org}); \`keyless explain --cloud azure\` says what it would answer`,
      ],
      [],
    ],
    ['aws: no such line', {}, [], []],
  ]
  it.each(cases)('%s', (_name, claims, lines, warnings) => {
    const d = decodeToken(jwt({ ...good, ...claims }), NOW)
    expect(d.warnings).toEqual(warnings)
    const text = formatDecodedToken(d).split('\n')
    for (const line of lines) expect(text).toContain(line)
    if (lines.length === 0) expect(text.some((l) => l.startsWith('For: '))).toBe(false)
  })
})
