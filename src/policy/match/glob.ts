/**
 * IAM wildcard matching without regular expressions: `*` matches any run of characters (empty
 * included, `/` and `:` included), `?` exactly one. Patterns are compiled once into tokens; matching
 * backtracks only to the last `*`, so it is linear in practice and never catastrophic.
 */

/** A literal chunk, or one of the two wildcards. */
export type GlobToken = string | typeof STAR | typeof ONE

export const STAR: unique symbol = Symbol('*')
export const ONE: unique symbol = Symbol('?')

/** A compiled pattern; `exact` when it holds no wildcard (then a string compare suffices). */
export type Glob =
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'prefix'; readonly text: string }
  | { readonly kind: 'suffix'; readonly text: string }
  | { readonly kind: 'contains'; readonly text: string }
  | { readonly kind: 'tokens'; readonly tokens: readonly GlobToken[] }

/** A piece of a (variable-substituted) policy value; `wild` pieces give `*` and `?` their meaning. */
export interface Piece {
  readonly text: string
  readonly wild: boolean
}

/** Compiles a pattern where every `*` and `?` is a wildcard. */
export function compileGlob(pattern: string): Glob {
  return compilePieces([{ text: pattern, wild: true }])
}

/** Compiles pieces: wildcards only count inside `wild` pieces (escapes and variable values are literal). */
export function compilePieces(pieces: readonly Piece[]): Glob {
  const tokens: GlobToken[] = []
  let literal = ''
  for (const piece of pieces) {
    if (!piece.wild) {
      literal += piece.text
      continue
    }
    const t = piece.text
    for (let i = 0; i < t.length; i++) {
      const c = t[i] as string
      if (c === '*' || c === '?') {
        if (literal !== '') tokens.push(literal)
        literal = ''
        // Two stars in a row are one star.
        if (c === '?' || tokens[tokens.length - 1] !== STAR) tokens.push(c === '*' ? STAR : ONE)
      } else literal += c
    }
  }
  if (literal !== '') tokens.push(literal)
  if (tokens.length === 0) return { kind: 'exact', text: '' }
  if (tokens.length === 1) {
    const only = tokens[0]
    if (only === STAR) return { kind: 'any' }
    if (typeof only === 'string') return { kind: 'exact', text: only }
  }
  if (tokens.length === 2 && typeof tokens[0] === 'string' && tokens[1] === STAR)
    return { kind: 'prefix', text: tokens[0] }
  if (tokens.length === 2 && tokens[0] === STAR && typeof tokens[1] === 'string')
    return { kind: 'suffix', text: tokens[1] }
  if (
    tokens.length === 3 &&
    tokens[0] === STAR &&
    typeof tokens[1] === 'string' &&
    tokens[2] === STAR
  )
    return { kind: 'contains', text: tokens[1] }
  return { kind: 'tokens', tokens }
}

/** Does `text` match the compiled pattern? */
export function globMatch(glob: Glob, text: string): boolean {
  switch (glob.kind) {
    case 'any':
      return true
    case 'exact':
      return text === glob.text
    case 'prefix':
      return text.startsWith(glob.text)
    case 'suffix':
      return text.endsWith(glob.text)
    case 'contains':
      return text.includes(glob.text)
    case 'tokens':
      return matchTokens(glob.tokens, text)
  }
}

function matchTokens(tokens: readonly GlobToken[], s: string): boolean {
  const n = tokens.length
  let ti = 0
  let si = 0
  let starTi = -1
  let starSi = 0
  for (;;) {
    if (ti < n) {
      const tok = tokens[ti]
      if (tok === STAR) {
        starTi = ti++
        starSi = si
        continue
      }
      if (tok === ONE) {
        if (si < s.length) {
          ti++
          si++
          continue
        }
      } else if (tok !== undefined && s.startsWith(tok, si)) {
        ti++
        si += tok.length
        continue
      }
    } else if (si === s.length) return true
    if (starTi < 0) return false
    starSi++
    if (starSi > s.length) return false
    ti = starTi + 1
    si = starSi
  }
}
