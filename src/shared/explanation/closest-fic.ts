/**
 * Reads back the Entra emulator's "closest federated credential" lines (written by
 * src/federation/azure/closest.ts) from a decision's explanation, so the console can show them as
 * a table with the differing part of each value marked:
 *
 *     closest federated credential: 'prod'
 *       subject differs: credential "env:prod", assertion "ENV:prod" (they differ only in case; …)
 *
 * Pure: no I/O. Lines that are not of this shape are skipped.
 */

export interface FicDifference {
  readonly field: 'issuer' | 'audience' | 'subject'
  /** The federated credential's value; null for a flexible (claims-matching) credential. */
  readonly credential: string | null
  /** The value the token (the client assertion) carried. */
  readonly assertion: string
  readonly hint: string | null
}

export interface ClosestFicLines {
  /** The federated credential that came closest; null when the application has none. */
  readonly name: string | null
  readonly differences: readonly FicDifference[]
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`
const HEAD = /^\s*closest federated credential:? '(.*)'(?: matches every field)?$/u
const NONE = /^\s*the client has no federated credentials$/u
const DIFF = new RegExp(
  String.raw`^\s+(issuer|audience|subject) differs: credential (null|${STRING}), assertion (${STRING})(?: \((.*)\))?$`,
  'u',
)

function difference(m: RegExpExecArray): FicDifference | undefined {
  try {
    const credential = JSON.parse(m[2] ?? 'null') as unknown
    const assertion = JSON.parse(m[3] ?? '""') as unknown
    if (typeof assertion !== 'string' || (credential !== null && typeof credential !== 'string'))
      return undefined
    const field = m[1] as FicDifference['field']
    return { field, credential, assertion, hint: m[4] ?? null }
  } catch {
    return undefined
  }
}

/** The closest federated credential named in the lines, or undefined when none is named. */
export function parseClosestFicLines(lines: readonly string[]): ClosestFicLines | undefined {
  let found: { name: string | null; differences: FicDifference[] } | undefined
  for (const raw of lines) {
    const line = raw.replace(/\s+$/u, '')
    const head = HEAD.exec(line)
    if (head !== null) {
      found = { name: head[1] ?? '', differences: [] }
      continue
    }
    if (NONE.test(line)) {
      found = { name: null, differences: [] }
      continue
    }
    const m = DIFF.exec(line)
    const d = m === null || found === undefined ? undefined : difference(m)
    if (d !== undefined) found?.differences.push(d)
  }
  return found
}
