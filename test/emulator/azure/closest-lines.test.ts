/**
 * The console reads the Entra emulator's "closest federated credential" lines back
 * (src/shared/explanation/closest-fic.ts): whatever src/federation/azure/closest.ts writes for a
 * near miss, the parser returns the same credential, fields, values and hints.
 */
import { describe, expect, it } from 'vitest'
import { closestFic, closestLines, type Assertion } from '../../../src/federation/azure/closest.js'
import type { Fic } from '../../../src/federation/azure/fic.js'
import { parseClosestFicLines } from '../../../src/shared/explanation/index.js'

const ISS = 'http://127.0.0.1:8080/orgs/org_1'
const SUB = 'org:org_1:project:prj_1:environment:env_1'
const AUD = 'azure:org_1'

function fic(name: string, fields: Partial<Pick<Fic, 'issuer' | 'subject' | 'audiences'>>): Fic {
  return {
    id: name,
    name,
    issuer: ISS,
    subject: SUB,
    audiences: [AUD],
    description: null,
    claimsMatchingExpression: null,
    createdAtMs: 0,
    ...fields,
  }
}

const token: Assertion = { iss: ISS, aud: AUD, sub: SUB }

interface Case {
  readonly name: string
  readonly fics: Fic[]
  readonly assertion?: Partial<Assertion>
  readonly want: {
    name: string | null
    fields: string[]
    hints?: Array<string | null>
  }
}

const cases: Case[] = [
  {
    name: 'issuer with a trailing slash',
    fics: [fic('prod', { issuer: `${ISS}/` })],
    want: { name: 'prod', fields: ['issuer'], hints: [expect.stringContaining('trailing slash')] },
  },
  {
    name: 'subject differing in case',
    fics: [fic('prod', { subject: SUB.toUpperCase() })],
    want: { name: 'prod', fields: ['subject'], hints: [expect.stringContaining('only in case')] },
  },
  {
    name: 'audience and subject both wrong, no hint',
    fics: [fic('other', { audiences: ['api://AzureADTokenExchange'], subject: 'repo:x' })],
    want: { name: 'other', fields: ['audience', 'subject'], hints: [null, null] },
  },
  {
    name: 'the nearer of two credentials',
    fics: [
      fic('far', { issuer: 'https://elsewhere.example', subject: 'x' }),
      fic('near', { subject: `${SUB}:type:deploy` }),
    ],
    want: { name: 'near', fields: ['subject'] },
  },
  {
    name: 'a flexible credential (no subject)',
    fics: [fic('flex', { subject: null })],
    want: { name: 'flex', fields: ['subject'], hints: [expect.stringContaining('flexible')] },
  },
  {
    name: 'values with quotes and backslashes',
    fics: [fic('q', { subject: 'a "quoted" \\ subject' })],
    assertion: { sub: 'a "quoted" \\ subjecT' },
    want: { name: 'q', fields: ['subject'] },
  },
  { name: 'no federated credentials at all', fics: [], want: { name: null, fields: [] } },
  {
    name: 'a credential matching every field',
    fics: [fic('same', {})],
    want: { name: 'same', fields: [] },
  },
]

describe('the closest-credential lines read back (console)', () => {
  it.each(cases)('$name', ({ fics, assertion, want }) => {
    const a = { ...token, ...assertion }
    const closest = closestFic(fics, a)
    const lines = [
      'issuer: discovery and keys fetched',
      ...closestLines(closest),
      '→ AADSTS70021: No matching federated identity record found for presented assertion.',
    ]
    const parsed = parseClosestFicLines(lines)
    expect(parsed?.name).toBe(want.name)
    expect(parsed?.differences.map((d) => d.field)).toEqual(want.fields)
    if (want.hints !== undefined) expect(parsed?.differences.map((d) => d.hint)).toEqual(want.hints)
    for (const d of parsed?.differences ?? []) {
      const written = closest?.differences.find((w) => w.field === d.field)
      expect({ credential: d.credential, assertion: d.assertion }).toEqual({
        credential: written?.expected,
        assertion: written?.actual,
      })
    }
  })

  it('finds nothing in an AWS explanation', () => {
    expect(
      parseClosestFicLines([
        'sts:AssumeRoleWithWebIdentity: Denied',
        '  Statement[0] (Allow, line 3): conditions not met',
        '    not met: StringEquals host:sub: request `a`; policy `b` (line 9)',
      ]),
    ).toBeUndefined()
  })
})
