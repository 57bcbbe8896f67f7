/**
 * Flexible FIC expressions (preview): `claims['<claim>'] <matches|eq> '<comparand>'` joined by
 * `and`; `'` escapes itself inside a quoted string; `matches` knows `*` and `?`.
 */
export interface FicClause {
  readonly claim: string
  readonly op: 'matches' | 'eq'
  readonly value: string
}

export type ParsedExpression =
  | { readonly ok: true; readonly clauses: readonly FicClause[] }
  | { readonly ok: false; readonly reason: string }

function quoted(text: string, at: number): { value: string; end: number } | undefined {
  if (text[at] !== "'") return undefined
  let value = ''
  for (let i = at + 1; i < text.length; i += 1) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'"
        i += 1
        continue
      }
      return { value, end: i + 1 }
    }
    value += text[i]
  }
  return undefined
}

function clauseAt(text: string, start: number): { clause: FicClause; end: number } | string {
  let i = start
  const skip = (): void => {
    while (text[i] === ' ') i += 1
  }
  skip()
  if (!text.startsWith('claims[', i)) return `expected claims['…'] at ${i}`
  const claim = quoted(text, i + 7)
  if (claim === undefined || text[claim.end] !== ']') return `unterminated claim name at ${i}`
  i = claim.end + 1
  skip()
  const op = text.startsWith('matches', i) ? 'matches' : text.startsWith('eq', i) ? 'eq' : undefined
  if (op === undefined) return `expected matches or eq at ${i}`
  i += op.length
  skip()
  const value = quoted(text, i)
  if (value === undefined) return `expected a quoted comparand at ${i}`
  return { clause: { claim: claim.value, op, value: value.value }, end: value.end }
}

export function parseFicExpression(text: string): ParsedExpression {
  const clauses: FicClause[] = []
  let i = 0
  for (;;) {
    const next = clauseAt(text, i)
    if (typeof next === 'string') return { ok: false, reason: next }
    clauses.push(next.clause)
    i = next.end
    while (text[i] === ' ') i += 1
    if (i >= text.length) return { ok: true, clauses }
    if (!text.startsWith('and ', i)) return { ok: false, reason: `expected and at ${i}` }
    i += 4
  }
}

function wildcard(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/gu, '\\$&')
    .replace(/\*/gu, '.*')
    .replace(/\?/gu, '.')
  return new RegExp(`^${re}$`, 'su').test(value)
}

/** Do the token's claims satisfy every clause? */
export function expressionMatches(
  clauses: readonly FicClause[],
  claims: Readonly<Record<string, unknown>>,
): boolean {
  return clauses.every((c) => {
    const v = claims[c.claim]
    if (typeof v !== 'string') return false
    return c.op === 'eq' ? v === c.value : wildcard(c.value, v)
  })
}
