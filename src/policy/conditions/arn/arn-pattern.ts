/**
 * ARN matching as the Arn* operators do it: both sides are split on `:` into six parts (the last
 * part keeps any further colons) and each part is matched with wildcards, so `*` never crosses a
 * colon between parts.
 */
import { compilePieces, globMatch, type Glob, type Piece } from '../../match/glob.js'
import { piecesText } from '../../match/variables.js'

export type ArnPattern = readonly Glob[]

/** Splits an ARN into its six parts, or undefined when it has fewer than six. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = []
  let start = 0
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start)
    if (colon < 0) return undefined
    parts.push(arn.slice(start, colon))
    start = colon + 1
  }
  parts.push(arn.slice(start))
  return parts
}

export function compileArnPattern(value: readonly Piece[]): ArnPattern | undefined {
  // Split the text, then re-apply which characters were wildcards piece by piece.
  const text = piecesText(value)
  const parts = splitArn(text)
  if (parts === undefined) return undefined
  const globs: Glob[] = []
  let offset = 0
  for (const part of parts) {
    globs.push(compilePieces(slicePieces(value, offset, offset + part.length)))
    offset += part.length + 1
  }
  return globs
}

function slicePieces(pieces: readonly Piece[], from: number, to: number): Piece[] {
  const out: Piece[] = []
  let at = 0
  for (const p of pieces) {
    const start = Math.max(from, at)
    const end = Math.min(to, at + p.text.length)
    if (start < end) out.push({ text: p.text.slice(start - at, end - at), wild: p.wild })
    at += p.text.length
  }
  return out
}

export function arnMatches(pattern: ArnPattern, arn: string): boolean {
  const parts = splitArn(arn)
  if (parts === undefined) return false
  for (let i = 0; i < 6; i++) {
    if (!globMatch(pattern[i] as Glob, parts[i] as string)) return false
  }
  return true
}
