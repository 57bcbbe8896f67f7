/**
 * What Entra never says: which federated credential came closest to the assertion and which field
 * differed, with the usual culprits named (trailing slash, case, whitespace).
 */
import type { Fic } from './fic.js'

export interface FieldDifference {
  readonly field: 'issuer' | 'audience' | 'subject'
  readonly expected: string | null
  readonly actual: string
  readonly hint: string | undefined
}

export interface ClosestFic {
  readonly name: string
  readonly differences: readonly FieldDifference[]
}

function hintOf(expected: string | null, actual: string): string | undefined {
  if (expected === null) return 'a flexible credential (claims-matching expression)'
  if (expected.replace(/\/$/u, '') === actual.replace(/\/$/u, ''))
    return 'they differ only in a trailing slash, which Entra treats as a different value'
  if (expected.toLowerCase() === actual.toLowerCase())
    return 'they differ only in case; Entra compares case-sensitively'
  if (expected.trim() === actual.trim()) return 'they differ only in surrounding whitespace'
  return undefined
}

function differencesOf(f: Fic, assertion: Assertion): FieldDifference[] {
  const pairs: Array<[FieldDifference['field'], string | null, string]> = [
    ['issuer', f.issuer, assertion.iss],
    ['audience', f.audiences[0] ?? '', assertion.aud],
    ['subject', f.subject, assertion.sub],
  ]
  return pairs
    .filter(([, expected, actual]) => expected !== actual)
    .map(([field, expected, actual]) => ({
      field,
      expected,
      actual,
      hint: hintOf(expected, actual),
    }))
}

export interface Assertion {
  readonly iss: string
  readonly aud: string
  readonly sub: string
}

const WEIGHT = { issuer: 4, audience: 2, subject: 1 } as const

/** The FIC with the fewest (and least weighty) differences; near misses rank closer. */
export function closestFic(fics: readonly Fic[], assertion: Assertion): ClosestFic | undefined {
  let best: { fic: Fic; diffs: FieldDifference[]; score: number } | undefined
  for (const fic of fics) {
    const diffs = differencesOf(fic, assertion)
    const score = diffs.reduce((s, d) => s + WEIGHT[d.field] * (d.hint === undefined ? 2 : 1), 0)
    if (best === undefined || score < best.score) best = { fic, diffs, score }
  }
  return best === undefined ? undefined : { name: best.fic.name, differences: best.diffs }
}

export function closestLines(closest: ClosestFic | undefined): string[] {
  if (closest === undefined) return ['the client has no federated credentials']
  if (closest.differences.length === 0)
    return [`closest federated credential '${closest.name}' matches every field`]
  return [
    `closest federated credential: '${closest.name}'`,
    ...closest.differences.map(
      (d) =>
        `  ${d.field} differs: credential ${JSON.stringify(d.expected)}, assertion ${JSON.stringify(d.actual)}${d.hint === undefined ? '' : ` (${d.hint})`}`,
    ),
  ]
}
