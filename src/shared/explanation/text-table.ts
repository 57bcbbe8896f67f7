import type { ConditionRow } from './condition-row.js'
import { highlightRow } from './highlight.js'
import type { Segment } from './value-diff.js'

/** Marks around the differing part of a value in plain text (no terminal colours needed). */
export const MARK_OPEN = '«'
export const MARK_CLOSE = '»'

function marked(segments: readonly Segment[]): string {
  return segments.map((s) => (s.differs ? `${MARK_OPEN}${s.text}${MARK_CLOSE}` : s.text)).join('')
}

function values(list: readonly (readonly Segment[])[] | null, absent: string): string {
  if (list === null) return absent
  if (list.length === 0) return '(none)'
  return list.map((v) => (v.length === 0 ? '""' : marked(v))).join(', ')
}

const HEADERS = ['', 'STATEMENT', 'CONDITION KEY', 'OPERATOR', "TOKEN'S VALUE", "POLICY'S VALUE(S)"]

/** The cells of each row, the header first: ✓/✗, statement, key, operator, token, policy. */
export function conditionCells(rows: readonly ConditionRow[]): string[][] {
  const actions = new Set(rows.map((r) => r.action))
  return [
    HEADERS,
    ...rows.map((row) => {
      const h = highlightRow(row)
      const statement =
        actions.size > 1 && row.action !== null ? `${row.statement} (${row.action})` : row.statement
      return [
        row.met ? '✓' : '✗',
        statement,
        row.key,
        row.operator,
        values(h.tokenSegments, '(absent)'),
        values(h.policySegments, '(none)'),
      ]
    }),
  ]
}

/** The rows as an aligned text table, one line per condition, for the CLI and logs. */
export function conditionTable(rows: readonly ConditionRow[], indent = ''): string[] {
  const cells = conditionCells(rows)
  const widths = HEADERS.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)))
  return cells.map((r) =>
    (
      indent + r.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join('  ')
    ).trimEnd(),
  )
}
