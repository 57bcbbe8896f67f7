/** A value cut into the part it shares with the value it is compared with and the part that differs. */
export interface Segment {
  readonly text: string
  readonly differs: boolean
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1
  return i
}

function commonSuffix(a: string, b: string, prefix: number): number {
  let i = 0
  while (
    i < a.length - prefix &&
    i < b.length - prefix &&
    a[a.length - 1 - i] === b[b.length - 1 - i]
  )
    i += 1
  return i
}

function cut(value: string, prefix: number, suffix: number): Segment[] {
  const parts: Segment[] = [
    { text: value.slice(0, prefix), differs: false },
    { text: value.slice(prefix, value.length - suffix), differs: true },
    { text: value.slice(value.length - suffix), differs: false },
  ]
  return parts.filter((p) => p.text !== '')
}

/**
 * Marks where `value` and `other` differ: the common prefix and suffix stay plain, the middle of
 * each is marked (`prj_` + «0mx5» against `prj_` + «wrongproject»). Equal values have no mark.
 */
export function diffPair(value: string, other: string): { value: Segment[]; other: Segment[] } {
  if (value === other)
    return { value: [{ text: value, differs: false }], other: [{ text: other, differs: false }] }
  const prefix = commonPrefix(value, other)
  const suffix = commonSuffix(value, other, prefix)
  return { value: cut(value, prefix, suffix), other: cut(other, prefix, suffix) }
}

/** The candidate sharing the longest prefix and suffix with `value` (the one it was meant to match). */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let score = -1
  for (const c of candidates) {
    const p = commonPrefix(value, c)
    const s = p + commonSuffix(value, c, p)
    if (s > score) {
      best = c
      score = s
    }
  }
  return best
}
