import type { ConditionRow } from './condition-row.js'
import { closest, diffPair, type Segment } from './value-diff.js'

/** A condition row with each value cut into segments, the differing part marked on unmet rows. */
export interface HighlightedRow extends ConditionRow {
  /** One entry per token value; null when the key is absent from the token. */
  readonly tokenSegments: readonly (readonly Segment[])[] | null
  readonly policySegments: readonly (readonly Segment[])[]
}

const plain = (text: string): Segment[] => [{ text, differs: false }]

/**
 * On an unmet condition, each token value is compared with the policy value closest to it, and
 * that policy value with the first token value it is closest to; met rows stay unmarked.
 */
export function highlightRow(row: ConditionRow): HighlightedRow {
  const tokens = row.tokenValues
  if (row.met || tokens === null || tokens.length === 0 || row.policyValues.length === 0)
    return {
      ...row,
      tokenSegments: tokens === null ? null : tokens.map(plain),
      policySegments: row.policyValues.map(plain),
    }
  const policyMarks = new Map<string, Segment[]>()
  const tokenSegments = tokens.map((t) => {
    const target = closest(t, row.policyValues) ?? ''
    const pair = diffPair(t, target)
    if (!policyMarks.has(target)) policyMarks.set(target, pair.other)
    return pair.value
  })
  return {
    ...row,
    tokenSegments,
    policySegments: row.policyValues.map((p) => policyMarks.get(p) ?? plain(p)),
  }
}
