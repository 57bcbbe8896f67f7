import { describe, expect, it } from 'vitest'
import { explainWebIdentity } from '../../src/trust/index.js'
import {
  conditionTable,
  diffPair,
  highlightRow,
  parseExplanationLines,
  type ConditionRow,
} from '../../src/shared/explanation/index.js'

const PREFIX = '127.0.0.1:8080'
const TOKEN_SUB = 'org:org_1:project:prj_0mx5p6vo:env:env_1'
const POLICY_SUB = 'org:org_1:project:prj_wrongproject:env:env_1'

/** The lines the policy engine writes for a token whose sub names another project. */
function deniedLines(): readonly string[] {
  const now = new Date('2026-12-02T15:00:00Z')
  const t = Math.floor(now.getTime() / 1000)
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${PREFIX}` },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: { [`${PREFIX}:aud`]: 'sts.amazonaws.com', [`${PREFIX}:sub`]: [POLICY_SUB] },
          StringLike: { [`${PREFIX}:email`]: ['*@example.com'] },
        },
      },
    ],
  }
  return explainWebIdentity({
    claims: {
      iss: `http://${PREFIX}`,
      aud: 'sts.amazonaws.com',
      sub: TOKEN_SUB,
      iat: t,
      nbf: t,
      exp: t + 600,
    },
    trustPolicy: JSON.stringify(policy),
    roleArn: 'arn:aws:iam::123456789012:role/r',
    duration: 3600,
    maxSessionDuration: 3600,
    now,
  }).lines
}

describe('condition rows read back from the explanation lines', () => {
  it('finds every condition with its statement, operator, values and result', () => {
    const rows = parseExplanationLines(deniedLines())
    const assume = rows.filter((r) => r.action === 'sts:AssumeRoleWithWebIdentity')
    expect(assume).toEqual([
      {
        action: 'sts:AssumeRoleWithWebIdentity',
        statement: 'Statement[0]',
        key: `${PREFIX}:aud`,
        operator: 'StringEquals',
        tokenValues: ['sts.amazonaws.com'],
        policyValues: ['sts.amazonaws.com'],
        met: true,
      },
      {
        action: 'sts:AssumeRoleWithWebIdentity',
        statement: 'Statement[0]',
        key: `${PREFIX}:sub`,
        operator: 'StringEquals',
        tokenValues: [TOKEN_SUB],
        policyValues: [POLICY_SUB],
        met: false,
      },
      {
        action: 'sts:AssumeRoleWithWebIdentity',
        statement: 'Statement[0]',
        key: `${PREFIX}:email`,
        operator: 'StringLike',
        tokenValues: null,
        policyValues: ['*@example.com'],
        met: false,
      },
    ])
  })

  it('has no rows for an explanation without conditions', () => {
    expect(parseExplanationLines(['role does-not-exist not found', '→ AccessDenied: …'])).toEqual(
      [],
    )
  })
})

// [token value, policy value, token marked, policy marked] with «» around the differing part
const DIFFS: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    TOKEN_SUB,
    POLICY_SUB,
    'org:org_1:project:prj_«0mx5p6vo»:env:env_1',
    'org:org_1:project:prj_«wrongproject»:env:env_1',
  ],
  ['prj_0mx5', 'prj_wrongproject', 'prj_«0mx5»', 'prj_«wrongproject»'],
  ['same', 'same', 'same', 'same'],
  ['abc', 'abcdef', 'abc', 'abc«def»'],
  ['xyz', 'abc', '«xyz»', '«abc»'],
  ['aXa', 'aa', 'a«X»a', 'aa'],
]

const mark = (segments: ReadonlyArray<{ text: string; differs: boolean }>): string =>
  segments.map((s) => (s.differs ? `«${s.text}»` : s.text)).join('')

describe('the differing part of two values', () => {
  it.each(DIFFS)('%s against %s', (value, other, valueMarked, otherMarked) => {
    const pair = diffPair(value, other)
    expect([mark(pair.value), mark(pair.other)]).toEqual([valueMarked, otherMarked])
  })

  it('compares a token value with the policy value closest to it, and leaves met rows plain', () => {
    const row: ConditionRow = {
      action: null,
      statement: 'Statement[0]',
      key: 'k',
      operator: 'StringEquals',
      tokenValues: ['org:o:project:prj_a:env:e'],
      policyValues: ['something-else', 'org:o:project:prj_b:env:e'],
      met: false,
    }
    const h = highlightRow(row)
    expect(h.tokenSegments?.map(mark)).toEqual(['org:o:project:prj_«a»:env:e'])
    expect(h.policySegments.map(mark)).toEqual(['something-else', 'org:o:project:prj_«b»:env:e'])
    expect(highlightRow({ ...row, met: true }).tokenSegments?.map(mark)).toEqual([
      'org:o:project:prj_a:env:e',
    ])
  })
})

describe('the text table the CLI prints', () => {
  it('aligns the columns, marks ✓/✗ and the differing part', () => {
    const rows = parseExplanationLines(deniedLines()).filter(
      (r) => r.action === 'sts:AssumeRoleWithWebIdentity',
    )
    const table = conditionTable(rows, '  ')
    expect(table[0]).toMatch(
      /^ {5}STATEMENT +CONDITION KEY +OPERATOR +TOKEN'S VALUE +POLICY'S VALUE\(S\)$/u,
    )
    expect(table.slice(1).map((l) => l.slice(0, 3))).toEqual(['  ✓', '  ✗', '  ✗'])
    expect(table[2]).toContain('prj_«0mx5p6vo»:env:env_1')
    expect(table[2]).toContain('prj_«wrongproject»:env:env_1')
    expect(table[3]).toContain('(absent)')
    const column = (line: string): number =>
      line.indexOf('StringEquals') >= 0 ? line.indexOf('StringEquals') : line.indexOf('StringLike')
    expect(new Set(table.slice(1).map(column)).size).toBe(1)
  })
})
