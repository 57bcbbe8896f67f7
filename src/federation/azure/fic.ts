/**
 * Federated identity credentials (FICs), the trust object of Entra workload identity federation,
 * and the limits Entra enforces when one is written: name grammar, 600-character fields, exactly
 * one audience, subject xor claimsMatchingExpression (beta), at most 20 per application or
 * managed identity, (issuer, subject) unique.
 */
import { parseFicExpression } from './expression.js'

export const MAX_FICS = 20
export const MAX_FIELD = 600

export interface Fic {
  readonly id: string
  readonly name: string
  readonly issuer: string
  /** Null only with a claims-matching expression (flexible FIC). */
  readonly subject: string | null
  readonly audiences: readonly string[]
  readonly description: string | null
  readonly claimsMatchingExpression: {
    readonly value: string
    readonly languageVersion: number
  } | null
  /** When it was written (ms), for the propagation delay. */
  readonly createdAtMs: number
}

/** Why a write is refused; each shape (Graph, ARM) renders its own text. */
export type FicProblem =
  | { readonly kind: 'name-invalid'; readonly name: string }
  | { readonly kind: 'field-missing'; readonly field: string }
  | { readonly kind: 'field-too-long'; readonly field: string }
  | { readonly kind: 'field-not-string'; readonly field: string }
  | { readonly kind: 'audience-count' }
  | { readonly kind: 'subject-and-expression' }
  | { readonly kind: 'expression-invalid'; readonly detail: string }
  | { readonly kind: 'expression-not-allowed'; readonly issuer: string }
  | { readonly kind: 'limit' }
  | { readonly kind: 'duplicate'; readonly other: string }

export interface FicInput {
  readonly name: unknown
  readonly issuer: unknown
  readonly subject: unknown
  readonly audiences: unknown
  readonly description: unknown
  readonly claimsMatchingExpression?: unknown
}

export interface FicRules {
  /** Beta endpoints may carry flexible FICs; v1.0 and ARM may not. */
  readonly flexible: boolean
  /** Issuers whose FICs may use claimsMatchingExpression (exact or `*` glob). */
  readonly flexibleIssuers: readonly string[]
}

export const DEFAULT_FLEXIBLE_ISSUERS: readonly string[] = [
  'https://token.actions.githubusercontent.com',
  'https://gitlab.com',
  'https://gitlab.*.com',
  'https://gitlab.*.ca',
  'https://app.terraform.io',
  'https://app.eu.terraform.io',
]

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/u

export function ficNameValid(name: string): boolean {
  return NAME.test(name)
}

function globMatch(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/gu, '\\$&').replace(/\*/gu, '[^/]*')
  return new RegExp(`^${re}$`, 'u').test(value)
}

export function flexibleIssuerAllowed(issuer: string, allowed: readonly string[]): boolean {
  return allowed.some((p) => globMatch(p, issuer))
}

function str(value: unknown, field: string, required: boolean): string | null | FicProblem {
  if (value === undefined || value === null || value === '')
    return required ? { kind: 'field-missing', field } : null
  if (typeof value !== 'string') return { kind: 'field-not-string', field }
  if (value.length > MAX_FIELD) return { kind: 'field-too-long', field }
  return value
}

function isProblem(v: unknown): v is FicProblem {
  return typeof v === 'object' && v !== null && 'kind' in v
}

type Checked = Omit<Fic, 'id' | 'createdAtMs'>

function expressionOf(
  input: FicInput,
  rules: FicRules,
  issuer: string,
): Checked['claimsMatchingExpression'] | FicProblem {
  const raw = input.claimsMatchingExpression
  if (raw === undefined || raw === null) return null
  if (!rules.flexible)
    return {
      kind: 'expression-invalid',
      detail: 'claimsMatchingExpression is only available under /beta',
    }
  if (typeof raw !== 'object') return { kind: 'expression-invalid', detail: 'not an object' }
  const { value, languageVersion } = raw as Record<string, unknown>
  if (languageVersion !== 1)
    return {
      kind: 'expression-invalid',
      detail: `languageVersion ${JSON.stringify(languageVersion)} is not supported (only 1)`,
    }
  if (typeof value !== 'string' || value.length > MAX_FIELD)
    return {
      kind: 'expression-invalid',
      detail: 'value must be a string of at most 600 characters',
    }
  const parsed = parseFicExpression(value)
  if (!parsed.ok) return { kind: 'expression-invalid', detail: parsed.reason }
  if (!flexibleIssuerAllowed(issuer, rules.flexibleIssuers))
    return { kind: 'expression-not-allowed', issuer }
  return { value, languageVersion: 1 }
}

/** The fields of one FIC, checked on their own (no sibling rules). */
export function checkFic(input: FicInput, rules: FicRules): Checked | FicProblem {
  if (typeof input.name !== 'string' || !ficNameValid(input.name))
    return { kind: 'name-invalid', name: typeof input.name === 'string' ? input.name : '' }
  const issuer = str(input.issuer, 'issuer', true)
  if (isProblem(issuer)) return issuer
  const subject = str(input.subject, 'subject', false)
  if (isProblem(subject)) return subject
  const description = str(input.description, 'description', false)
  if (isProblem(description)) return description
  const aud = input.audiences
  if (!Array.isArray(aud) || aud.length !== 1) return { kind: 'audience-count' }
  const audience = str(aud[0], 'audiences', true)
  if (isProblem(audience)) return audience
  const expression = expressionOf(input, rules, issuer ?? '')
  if (isProblem(expression)) return expression
  if (expression !== null && subject !== null) return { kind: 'subject-and-expression' }
  if (expression === null && subject === null) return { kind: 'field-missing', field: 'subject' }
  return {
    name: input.name,
    issuer: issuer ?? '',
    subject,
    audiences: [audience ?? ''],
    description,
    claimsMatchingExpression: expression,
  }
}

/** The sibling rules: 20 per parent, (issuer, subject) unique; `replacing` is the FIC updated. */
export function checkSiblings(
  fic: Checked,
  siblings: readonly Fic[],
  replacing: string | undefined,
): FicProblem | undefined {
  const others = siblings.filter((f) => f.name !== replacing)
  const dup = others.find(
    (f) => f.subject !== null && f.issuer === fic.issuer && f.subject === fic.subject,
  )
  if (dup !== undefined) return { kind: 'duplicate', other: dup.name }
  if (replacing === undefined && others.length >= MAX_FICS) return { kind: 'limit' }
  return undefined
}
