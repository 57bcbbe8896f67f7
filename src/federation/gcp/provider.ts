/**
 * A workload identity pool OIDC provider as IAM v1 describes it, and the checks Google makes when
 * one is created or patched (docs/gcp.md, "Provider limits"): a `google.subject` mapping, at most
 * 50 `attribute.<k>` keys of `[a-z0-9_]{1,100}`, expressions of at most 2048 characters and a
 * condition of at most 4096, all compiled (a condition must be boolean); an https issuer; at most
 * 10 allowed audiences of at most 256 characters; `jwksJson` with only the JWK members Google
 * reads. Answers the problem as Google's INVALID_ARGUMENT message.
 */
import { celEngine, type CelEngine, type CompiledCel } from './cel.js'

export const MAX_CUSTOM_ATTRIBUTES = 50
export const MAX_ATTRIBUTE_KEY = 100
export const MAX_MAPPING_EXPRESSION = 2048
export const MAX_CONDITION = 4096
export const MAX_AUDIENCES = 10
export const MAX_AUDIENCE = 256
export const MAX_DISPLAY_NAME = 32
export const MAX_DESCRIPTION = 256
export const JWK_MEMBERS = ['kty', 'alg', 'use', 'kid', 'n', 'e', 'x', 'y', 'crv'] as const
export const JWK_INVALID = 'Input JWK is not in a valid json format'

/** The provider fields of IAM v1's `WorkloadIdentityPoolProvider` that keyless reads. */
export interface ProviderDefinition {
  readonly displayName?: string | undefined
  readonly description?: string | undefined
  readonly disabled?: boolean | undefined
  readonly attributeMapping?: Readonly<Record<string, string>> | undefined
  readonly attributeCondition?: string | undefined
  readonly oidc?:
    | {
        readonly issuerUri?: string | undefined
        readonly allowedAudiences?: readonly string[] | undefined
        readonly jwksJson?: string | undefined
      }
    | undefined
}

export interface ProviderRules {
  /** Refuse http issuers, loopback ones too (Google always does). */
  readonly requireHttpsIssuers: boolean
  /** Accept http issuers on any host (a test switch). */
  readonly allowHttpIssuers: boolean
}

export const DEFAULT_PROVIDER_RULES: ProviderRules = {
  requireHttpsIssuers: false,
  allowHttpIssuers: false,
}

/** A provider as checked: its mapping and condition compiled, its JWKS parsed. */
export interface CheckedProvider {
  readonly displayName: string
  readonly description: string
  readonly disabled: boolean
  readonly attributeMapping: Readonly<Record<string, string>>
  readonly attributeCondition: string | undefined
  readonly issuerUri: string
  readonly allowedAudiences: readonly string[]
  readonly jwksJson: string | undefined
  readonly jwks: { readonly keys: ReadonlyArray<Record<string, unknown>> } | undefined
  readonly mapping: ReadonlyArray<readonly [string, CompiledCel]>
  readonly condition: CompiledCel | undefined
}

export type ProviderCheck =
  | { readonly ok: true; readonly provider: CheckedProvider }
  | { readonly ok: false; readonly problem: string }

const LOOPBACK = /^(localhost|\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/u

function issuerProblem(uri: string | undefined, rules: ProviderRules): string | undefined {
  if (uri === undefined || uri === '') return 'The issuer URI (oidc.issuerUri) is required.'
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return `The issuer URI ${uri} is not a valid URL.`
  }
  if (url.protocol === 'https:') return undefined
  const httpOk =
    url.protocol === 'http:' &&
    !rules.requireHttpsIssuers &&
    (rules.allowHttpIssuers || LOOPBACK.test(url.host.replace(/:\d+$/u, '')))
  return httpOk ? undefined : `The issuer URI ${uri} must use the https scheme.`
}

function mappingKeyProblem(key: string): string | undefined {
  if (key === 'google.subject' || key === 'google.groups') return undefined
  if (!key.startsWith('attribute.'))
    return `The attribute mapping key ${key} is invalid: only google.subject, google.groups and attribute.<name> may be mapped.`
  const name = key.slice('attribute.'.length)
  if (!/^[a-z0-9_]+$/u.test(name) || name.length > MAX_ATTRIBUTE_KEY)
    return `The attribute mapping key ${key} is invalid: a custom attribute name has 1 to ${MAX_ATTRIBUTE_KEY} characters of [a-z0-9_].`
  return undefined
}

type Compiled = { mapping: Array<readonly [string, CompiledCel]> } | { problem: string }

function compileMapping(
  mapping: Readonly<Record<string, string>> | undefined,
  engine: CelEngine,
): Compiled {
  if (mapping === undefined || typeof mapping['google.subject'] !== 'string')
    return { problem: 'The attribute mapping must contain a mapping for google.subject.' }
  const keys = Object.keys(mapping)
  if (keys.filter((k) => k.startsWith('attribute.')).length > MAX_CUSTOM_ATTRIBUTES)
    return {
      problem: `The attribute mapping may map at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`,
    }
  const out: Array<readonly [string, CompiledCel]> = []
  for (const key of keys) {
    const keyProblem = mappingKeyProblem(key)
    if (keyProblem !== undefined) return { problem: keyProblem }
    const source = mapping[key]
    if (typeof source !== 'string' || source.trim() === '')
      return { problem: `The attribute mapping for ${key} must be a non-empty CEL expression.` }
    if (source.length > MAX_MAPPING_EXPRESSION)
      return {
        problem: `The attribute mapping for ${key} is longer than ${MAX_MAPPING_EXPRESSION} characters.`,
      }
    const compiled = engine.compile(source, 'mapping')
    if (!compiled.ok)
      return {
        problem: `The attribute mapping for ${key} is not a valid CEL expression: ${compiled.error}`,
      }
    out.push([key, compiled.program])
  }
  return { mapping: out }
}

function conditionProblem(
  condition: string | undefined,
  engine: CelEngine,
): { problem: string } | { program: CompiledCel | undefined } {
  if (condition === undefined || condition === '') return { program: undefined }
  if (condition.length > MAX_CONDITION)
    return { problem: `The attribute condition is longer than ${MAX_CONDITION} characters.` }
  const compiled = engine.compile(condition, 'condition')
  if (!compiled.ok)
    return { problem: `The attribute condition is not a valid CEL expression: ${compiled.error}` }
  return { program: compiled.program }
}

function audiencesProblem(audiences: readonly string[]): string | undefined {
  if (audiences.length > MAX_AUDIENCES)
    return `At most ${MAX_AUDIENCES} allowed audiences may be set (oidc.allowedAudiences).`
  const long = audiences.find((a) => typeof a !== 'string' || a.length > MAX_AUDIENCE || a === '')
  if (long !== undefined)
    return `Each allowed audience must have 1 to ${MAX_AUDIENCE} characters (oidc.allowedAudiences).`
  return undefined
}

/** The JWKS of `jwksJson`, or undefined when it is not one Google accepts. */
export function parseJwksJson(
  text: string,
): { readonly keys: ReadonlyArray<Record<string, unknown>> } | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  const keys = (value as { keys?: unknown } | null)?.keys
  if (typeof value !== 'object' || value === null || !Array.isArray(keys)) return undefined
  const allowed = new Set<string>(JWK_MEMBERS)
  for (const k of keys as unknown[]) {
    if (typeof k !== 'object' || k === null || Array.isArray(k)) return undefined
    const jwk = k as Record<string, unknown>
    if (Object.keys(jwk).some((m) => !allowed.has(m))) return undefined
    if (jwk['kty'] !== 'RSA' && jwk['kty'] !== 'EC') return undefined
  }
  return { keys: keys as Array<Record<string, unknown>> }
}

function textProblem(p: ProviderDefinition): string | undefined {
  if ((p.displayName ?? '').length > MAX_DISPLAY_NAME)
    return `The display name may have at most ${MAX_DISPLAY_NAME} characters.`
  if ((p.description ?? '').length > MAX_DESCRIPTION)
    return `The description may have at most ${MAX_DESCRIPTION} characters.`
  return undefined
}

/** Checks and compiles a provider definition (create, or the result of a patch). */
export function checkProvider(
  p: ProviderDefinition,
  rules: ProviderRules = DEFAULT_PROVIDER_RULES,
  engine: CelEngine = celEngine,
): ProviderCheck {
  const text = textProblem(p)
  if (text !== undefined) return { ok: false, problem: text }
  if (p.oidc === undefined)
    return { ok: false, problem: 'Only OIDC providers are supported: oidc must be set.' }
  const issuer = issuerProblem(p.oidc.issuerUri, rules)
  if (issuer !== undefined) return { ok: false, problem: issuer }
  const audiences = p.oidc.allowedAudiences ?? []
  const aud = audiencesProblem(audiences)
  if (aud !== undefined) return { ok: false, problem: aud }
  const jwks =
    p.oidc.jwksJson === undefined || p.oidc.jwksJson === ''
      ? undefined
      : parseJwksJson(p.oidc.jwksJson)
  if (p.oidc.jwksJson !== undefined && p.oidc.jwksJson !== '' && jwks === undefined)
    return { ok: false, problem: JWK_INVALID }
  const mapping = compileMapping(p.attributeMapping, engine)
  if ('problem' in mapping) return { ok: false, problem: mapping.problem }
  const condition = conditionProblem(p.attributeCondition, engine)
  if ('problem' in condition) return { ok: false, problem: condition.problem }
  return {
    ok: true,
    provider: {
      displayName: p.displayName ?? '',
      description: p.description ?? '',
      disabled: p.disabled ?? false,
      attributeMapping: { ...p.attributeMapping },
      attributeCondition: p.attributeCondition === '' ? undefined : p.attributeCondition,
      issuerUri: p.oidc.issuerUri ?? '',
      allowedAudiences: [...audiences],
      jwksJson: jwks === undefined ? undefined : p.oidc.jwksJson,
      jwks,
      mapping: mapping.mapping,
      condition: condition.program,
    },
  }
}
