/**
 * What a `sub` condition value pins, read against the organization's subject template. A value pins
 * a placeholder when every subject it matches carries the same value there. `*` in StringLike
 * matches any run of characters, `:` included (docs/aws-behaviour.md §12), so a value is read from
 * both ends up to its first and last wildcard.
 */
import {
  DEFAULT_SUBJECT_TEMPLATE,
  SUBJECT_PLACEHOLDERS,
  type SubjectPlaceholder,
} from '../shared/subject-template.js'
import { DEPLOYMENT_TYPES, type DeploymentType } from '../shared/contracts/common.js'

type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'placeholder'; readonly name: SubjectPlaceholder }

/** How far a condition value reaches. `deployment` and `environment` are the narrowest. */
export type SubjectScope = 'any' | 'organization' | 'template' | 'project' | 'environment'

export interface SubjectPatternAnalysis {
  /** False when no subject of this template can match the value (an old or foreign format). */
  readonly fits: boolean
  /** Placeholders with one fixed value in every subject the value matches. */
  readonly pinned: Partial<Record<SubjectPlaceholder, string>>
  readonly scope: SubjectScope
  /** Deployment types the value admits. */
  readonly deploymentTypes: readonly DeploymentType[]
}

export function tokenizeTemplate(template: string): Token[] {
  const tokens: Token[] = []
  const re = /\{([^{}]*)\}/gu
  let last = 0
  for (const m of template.matchAll(re)) {
    if (m.index > last) tokens.push({ kind: 'literal', text: template.slice(last, m.index) })
    const name = m[1] ?? ''
    if ((SUBJECT_PLACEHOLDERS as readonly string[]).includes(name))
      tokens.push({ kind: 'placeholder', name: name as SubjectPlaceholder })
    else tokens.push({ kind: 'literal', text: m[0] })
    last = m.index + m[0].length
  }
  if (last < template.length) tokens.push({ kind: 'literal', text: template.slice(last) })
  return tokens
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')

/** Reads a prefix (no wildcard inside) against the tokens; undefined when a literal differs. */
function walk(
  text: string,
  tokens: readonly Token[],
  reverse: boolean,
): Partial<Record<SubjectPlaceholder, string>> | undefined {
  const rev = (s: string): string => [...s].reverse().join('')
  const src = reverse ? rev(text) : text
  const toks = reverse
    ? [...tokens].reverse().map((t) => (t.kind === 'literal' ? { ...t, text: rev(t.text) } : t))
    : tokens
  const pinned: Partial<Record<SubjectPlaceholder, string>> = {}
  let pos = 0
  for (let i = 0; i < toks.length; i++) {
    const token = toks[i]
    if (token === undefined) break
    const rest = src.slice(pos)
    if (token.kind === 'literal') {
      if (rest.length < token.text.length) {
        if (!token.text.startsWith(rest)) return undefined
        break
      }
      if (!rest.startsWith(token.text)) return undefined
      pos += token.text.length
      continue
    }
    const next = toks[i + 1]
    if (next === undefined || next.kind !== 'literal') break
    let at = rest.indexOf(next.text)
    if (at < 0) {
      // The text may end inside the next literal ("…:prj_1:" before the wildcard).
      at = [...rest].findIndex((_, j) => j > 0 && next.text.startsWith(rest.slice(j)))
      if (at < 0) break
    }
    const value = rest.slice(0, at)
    if (value === '' || value.includes(':')) return undefined
    pinned[token.name] = reverse ? rev(value) : value
    pos += at
  }
  return pinned
}

function scopeOf(pinned: Partial<Record<SubjectPlaceholder, string>>): SubjectScope {
  if (pinned.environmentId !== undefined || pinned.deploymentId !== undefined) return 'environment'
  if (pinned.projectId !== undefined) return 'project'
  if (pinned.templateId !== undefined) return 'template'
  if (pinned.organizationId !== undefined) return 'organization'
  return 'any'
}

/**
 * Analyzes one condition value. `like` is true for StringLike-family operators (where `*` and
 * `?` are wildcards); under StringEquals the value is a literal subject.
 */
export function analyzeSubjectPattern(
  value: string,
  like: boolean,
  template: string = DEFAULT_SUBJECT_TEMPLATE,
): SubjectPatternAnalysis {
  const tokens = tokenizeTemplate(template)
  const wild = like && /[*?]/u.test(value)
  let pinned: Partial<Record<SubjectPlaceholder, string>> | undefined
  const full = new RegExp(
    `^${tokens.map((t) => (t.kind === 'literal' ? escapeRe(t.text) : '([^:]+)')).join('')}$`,
    'u',
  )
  const m = full.exec(value)
  const names = tokens.flatMap((t) => (t.kind === 'placeholder' ? [t.name] : []))
  if (m) {
    pinned = {}
    names.forEach((name, i) => {
      const v = m[i + 1] ?? ''
      if (!(wild && /[*?]/u.test(v))) (pinned as Record<string, string>)[name] = v
    })
  } else if (wild) {
    const first = value.search(/[*?]/u)
    const lastWild = Math.max(value.lastIndexOf('*'), value.lastIndexOf('?'))
    const head = walk(value.slice(0, first), tokens, false)
    const tail = walk(value.slice(lastWild + 1), tokens, true)
    if (head !== undefined && tail !== undefined) pinned = { ...tail, ...head }
  }
  const type = pinned?.deploymentType
  const typeOk = type === undefined || (DEPLOYMENT_TYPES as readonly string[]).includes(type)
  if (pinned === undefined || !typeOk)
    return { fits: false, pinned: {}, scope: 'any', deploymentTypes: [] }
  return {
    fits: true,
    pinned,
    scope: scopeOf(pinned),
    deploymentTypes:
      type === undefined || !names.includes('deploymentType')
        ? [...DEPLOYMENT_TYPES]
        : [type as DeploymentType],
  }
}

const SCOPE_ORDER: readonly SubjectScope[] = [
  'any',
  'organization',
  'template',
  'project',
  'environment',
]

/** The narrower of two scopes. */
export function narrower(a: SubjectScope, b: SubjectScope): SubjectScope {
  return SCOPE_ORDER.indexOf(a) >= SCOPE_ORDER.indexOf(b) ? a : b
}

/** The wider of two scopes. */
export function wider(a: SubjectScope, b: SubjectScope): SubjectScope {
  return SCOPE_ORDER.indexOf(a) <= SCOPE_ORDER.indexOf(b) ? a : b
}

/** Words for a scope: "every deployment of project prj_…". */
export function describeScope(
  scope: SubjectScope,
  pinned: Partial<Record<SubjectPlaceholder, string>>,
): string {
  switch (scope) {
    case 'any':
      return 'every deployment of every organization that uses this issuer'
    case 'organization':
      return `every deployment of organization ${pinned.organizationId ?? '(any)'}`
    case 'template':
      return `every deployment of template ${pinned.templateId ?? '(any)'}`
    case 'project':
      return `every deployment of project ${pinned.projectId ?? '(any)'}`
    case 'environment':
      return `deployments of environment ${pinned.environmentId ?? pinned.deploymentId ?? '(any)'}`
  }
}
