/**
 * Policy variables (Version 2012-10-17 only): `${aws:username}`, `${aws:PrincipalTag/team}`,
 * defaults `${aws:PrincipalTag/team, 'company-wide'}`, and the escapes `${*}` `${?}` `${$}` that
 * stand for a literal `*`, `?` and `$`. Variable names are case-insensitive.
 */
import type { Piece } from './glob.js'

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'variable'; readonly key: string; readonly fallback: string | undefined }

/** A policy value split into text, escapes and variables; `hasVariables` false = static value. */
export interface Template {
  readonly raw: string
  readonly parts: readonly TemplatePart[]
  readonly hasVariables: boolean
}

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' }
const DEFAULT = /^([^,]*?)\s*,\s*'([^']*)'\s*$/u

/** Splits a policy value into its parts. Without variables support, the whole value is text. */
export function parseTemplate(raw: string, variables: boolean): Template {
  if (!variables || !raw.includes('${')) {
    return { raw, parts: [{ kind: 'text', text: raw }], hasVariables: false }
  }
  const parts: TemplatePart[] = []
  let hasVariables = false
  let i = 0
  let text = ''
  while (i < raw.length) {
    const open = raw.indexOf('${', i)
    const close = open < 0 ? -1 : raw.indexOf('}', open + 2)
    if (open < 0 || close < 0) {
      text += raw.slice(i)
      break
    }
    text += raw.slice(i, open)
    const inner = raw.slice(open + 2, close)
    const escape = ESCAPES[inner]
    if (text !== '') parts.push({ kind: 'text', text })
    text = ''
    if (escape !== undefined) parts.push({ kind: 'literal', text: escape })
    else {
      const m = DEFAULT.exec(inner)
      const key = (m?.[1] ?? inner).trim().toLowerCase()
      parts.push({ kind: 'variable', key, fallback: m?.[2] })
      hasVariables = true
    }
    i = close + 1
  }
  if (text !== '') parts.push({ kind: 'text', text })
  return { raw, parts, hasVariables }
}

/**
 * Resolves a template against a lookup of single-valued context keys; undefined when a variable
 * has neither a value nor a default (the value then matches nothing).
 */
export function resolveTemplate(
  template: Template,
  lookup: (key: string) => string | undefined,
): Piece[] | undefined {
  const pieces: Piece[] = []
  for (const part of template.parts) {
    if (part.kind === 'text') pieces.push({ text: part.text, wild: true })
    else if (part.kind === 'literal') pieces.push({ text: part.text, wild: false })
    else {
      const value = lookup(part.key) ?? part.fallback
      if (value === undefined) return undefined
      pieces.push({ text: value, wild: false })
    }
  }
  return pieces
}

/** The text of pieces, wildcards and all. */
export function piecesText(pieces: readonly Piece[]): string {
  if (pieces.length === 1) return (pieces[0] as Piece).text
  let out = ''
  for (const p of pieces) out += p.text
  return out
}
