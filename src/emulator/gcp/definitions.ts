/**
 * IAM v1 JSON of pools and providers: reading a request body into a definition (type errors are
 * Google's "Invalid JSON payload" 400) and writing a stored resource back as Google shows it
 * (default values left out, as proto3 JSON does).
 */
import type { ProviderDefinition } from '../../federation/gcp/provider.js'
import type { CheckedProvider } from '../../federation/gcp/provider.js'
import { poolName } from '../../federation/gcp/names.js'
import type { Pool, StoredProvider } from './state.js'
import { DELETED_RETENTION_MS } from './state.js'

type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string }

function wrongType(field: string, expected: string): Read<never> {
  return {
    ok: false,
    problem: `Invalid JSON payload received. Invalid value at '${field}' (${expected}).`,
  }
}

const POOL_FIELDS = new Set([
  'name',
  'displayName',
  'description',
  'disabled',
  'state',
  'mode',
  'expireTime',
])
const PROVIDER_FIELDS = new Set([
  'name',
  'displayName',
  'description',
  'disabled',
  'state',
  'attributeMapping',
  'attributeCondition',
  'oidc',
  'expireTime',
])
const OIDC_FIELDS = new Set(['issuerUri', 'allowedAudiences', 'jwksJson'])

function unknownField(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  prefix = '',
): string | undefined {
  const bad = Object.keys(body).find((k) => !known.has(k))
  return bad === undefined
    ? undefined
    : `Invalid JSON payload received. Unknown name "${prefix}${bad}": Cannot find field.`
}

export interface PoolFields {
  readonly displayName?: string
  readonly description?: string
  readonly disabled?: boolean
}

export function readPool(body: Record<string, unknown>): Read<PoolFields> {
  const unknown = unknownField(body, POOL_FIELDS)
  if (unknown !== undefined) return { ok: false, problem: unknown }
  const out: { displayName?: string; description?: string; disabled?: boolean } = {}
  for (const k of ['displayName', 'description'] as const) {
    const v = body[k]
    if (v === undefined) continue
    if (typeof v !== 'string') return wrongType(k, 'TYPE_STRING')
    out[k] = v
  }
  if (body['disabled'] !== undefined) {
    if (typeof body['disabled'] !== 'boolean') return wrongType('disabled', 'TYPE_BOOL')
    out.disabled = body['disabled']
  }
  return { ok: true, value: out }
}

function readStrings(v: unknown, field: string): Read<string[]> {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    return wrongType(field, 'TYPE_STRING list')
  return { ok: true, value: v }
}

function readOidc(v: unknown): Read<NonNullable<ProviderDefinition['oidc']>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return wrongType('oidc', 'TYPE_MESSAGE')
  const o = v as Record<string, unknown>
  const unknown = unknownField(o, OIDC_FIELDS, 'oidc.')
  if (unknown !== undefined) return { ok: false, problem: unknown }
  const out: { issuerUri?: string; allowedAudiences?: string[]; jwksJson?: string } = {}
  if (o['issuerUri'] !== undefined) {
    if (typeof o['issuerUri'] !== 'string') return wrongType('oidc.issuerUri', 'TYPE_STRING')
    out.issuerUri = o['issuerUri']
  }
  if (o['jwksJson'] !== undefined) {
    if (typeof o['jwksJson'] !== 'string') return wrongType('oidc.jwksJson', 'TYPE_STRING')
    out.jwksJson = o['jwksJson']
  }
  if (o['allowedAudiences'] !== undefined) {
    const a = readStrings(o['allowedAudiences'], 'oidc.allowedAudiences')
    if (!a.ok) return a
    out.allowedAudiences = a.value
  }
  return { ok: true, value: out }
}

export function readProvider(body: Record<string, unknown>): Read<ProviderDefinition> {
  if (body['aws'] !== undefined || body['saml'] !== undefined || body['x509'] !== undefined)
    return {
      ok: false,
      problem:
        'The emulator supports OIDC providers only (oidc); aws, saml and x509 are not emulated.',
    }
  const unknown = unknownField(body, PROVIDER_FIELDS)
  if (unknown !== undefined) return { ok: false, problem: unknown }
  const base = readPool({
    displayName: body['displayName'],
    description: body['description'],
    disabled: body['disabled'],
  })
  if (!base.ok) return base
  const out: {
    -readonly [K in keyof ProviderDefinition]: ProviderDefinition[K]
  } = { ...base.value }
  const mapping = body['attributeMapping']
  if (mapping !== undefined) {
    if (
      typeof mapping !== 'object' ||
      mapping === null ||
      Array.isArray(mapping) ||
      !Object.values(mapping).every((x) => typeof x === 'string')
    )
      return wrongType('attributeMapping', 'map<string, string>')
    out.attributeMapping = mapping as Record<string, string>
  }
  if (body['attributeCondition'] !== undefined) {
    if (typeof body['attributeCondition'] !== 'string')
      return wrongType('attributeCondition', 'TYPE_STRING')
    out.attributeCondition = body['attributeCondition']
  }
  if (body['oidc'] !== undefined) {
    const oidc = readOidc(body['oidc'])
    if (!oidc.ok) return oidc
    out.oidc = oidc.value
  }
  for (const k of Object.keys(out) as Array<keyof typeof out>)
    if (out[k] === undefined) delete out[k]
  return { ok: true, value: out }
}

/** A stored provider as a definition again (for patches). */
export function definitionOf(p: CheckedProvider): ProviderDefinition {
  return {
    displayName: p.displayName,
    description: p.description,
    disabled: p.disabled,
    attributeMapping: p.attributeMapping,
    ...(p.attributeCondition === undefined ? {} : { attributeCondition: p.attributeCondition }),
    oidc: {
      issuerUri: p.issuerUri,
      allowedAudiences: p.allowedAudiences,
      ...(p.jwksJson === undefined ? {} : { jwksJson: p.jwksJson }),
    },
  }
}

/** Applies a patch: the fields of `updateMask` (every field of the body when absent). */
export function patchProvider(
  current: ProviderDefinition,
  patch: ProviderDefinition,
  mask: readonly string[] | undefined,
): Read<ProviderDefinition> {
  const fields = mask ?? Object.keys(patch)
  const out = { ...current, oidc: { ...current.oidc } } as {
    -readonly [K in keyof ProviderDefinition]: ProviderDefinition[K]
  } & { oidc: Record<string, unknown> }
  for (const f of fields) {
    if (f === 'oidc') out.oidc = { ...patch.oidc }
    else if (f.startsWith('oidc.')) {
      const k = f.slice(5)
      if (!OIDC_FIELDS.has(k)) return { ok: false, problem: `Invalid update mask path: ${f}.` }
      out.oidc[k] = (patch.oidc as Record<string, unknown> | undefined)?.[k]
    } else if (
      ['displayName', 'description', 'disabled', 'attributeMapping', 'attributeCondition'].includes(
        f,
      )
    )
      (out as Record<string, unknown>)[f] = (patch as Record<string, unknown>)[f]
    else return { ok: false, problem: `Invalid update mask path: ${f}.` }
  }
  return { ok: true, value: out }
}

function expireTime(deletedAtMs: number | undefined): Record<string, string> {
  if (deletedAtMs === undefined) return {}
  return {
    expireTime: new Date(deletedAtMs + DELETED_RETENTION_MS)
      .toISOString()
      .replace(/\.\d{3}Z$/u, 'Z'),
  }
}

export function poolJson(pool: Pool): Record<string, unknown> {
  return {
    name: poolName(pool.projectNumber, pool.poolId),
    ...(pool.displayName === '' ? {} : { displayName: pool.displayName }),
    ...(pool.description === '' ? {} : { description: pool.description }),
    state: pool.state,
    ...(pool.disabled ? { disabled: true } : {}),
    ...expireTime(pool.state === 'DELETED' ? pool.deletedAtMs : undefined),
  }
}

export function providerJson(pool: Pool, stored: StoredProvider): Record<string, unknown> {
  const p = stored.checked
  return {
    name: `${poolName(pool.projectNumber, pool.poolId)}/providers/${stored.providerId}`,
    ...(p.displayName === '' ? {} : { displayName: p.displayName }),
    ...(p.description === '' ? {} : { description: p.description }),
    state: stored.state,
    ...(p.disabled ? { disabled: true } : {}),
    attributeMapping: p.attributeMapping,
    ...(p.attributeCondition === undefined ? {} : { attributeCondition: p.attributeCondition }),
    oidc: {
      issuerUri: p.issuerUri,
      ...(p.allowedAudiences.length === 0 ? {} : { allowedAudiences: p.allowedAudiences }),
      ...(p.jwksJson === undefined ? {} : { jwksJson: p.jwksJson }),
    },
    ...expireTime(stored.state === 'DELETED' ? stored.deletedAtMs : undefined),
  }
}
