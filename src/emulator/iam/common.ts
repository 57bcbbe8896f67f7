/** Shared pieces of the IAM actions: member declarations, result shapes, lookups, limits. */
import { isProviderArn, providerUrlToRegister } from '../../federation/aws/provider.js'
import { validateTrustPolicy } from '../../policy/index.js'
import type { ActionContext } from '../action.js'
import { AwsError } from '../errors.js'
import { m } from '../protocol/input.js'
import type { StructureShape } from '../protocol/xml.js'
import type { ProviderRecord, RoleRecord, Tag } from '../state/types.js'

const TAG_PATTERN_TEXT = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'
const TAG_VALUE_PATTERN_TEXT = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'

export const members = {
  roleName: m.string({
    required: true,
    min: 1,
    max: 64,
    pattern: { re: /^[\w+=,.@-]+$/u, text: '[\\w+=,.@-]+' },
  }),
  policyDocument: m.string({
    required: true,
    min: 1,
    max: 131072,
    pattern: {
      re: new RegExp('^[\\t\\n\\r\\u0020-\\u00FF]+$', 'u'),
      text: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    },
  }),
  policyName: m.string({
    required: true,
    min: 1,
    max: 128,
    pattern: { re: /^[\w+=,.@-]+$/u, text: '[\\w+=,.@-]+' },
  }),
  description: m.string({
    max: 1000,
    pattern: {
      re: new RegExp('^[\\t\\n\\r\\u0020-\\u007E\\u00A1-\\u00FF]*$', 'u'),
      text: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
    },
  }),
  maxSessionDuration: m.integer({ min: 3600, max: 43200 }),
  providerArn: m.string({ required: true, min: 20, max: 2048 }),
  clientId: m.string({ required: true, min: 1, max: 255 }),
  thumbprint: { min: 40, max: 40 },
  marker: m.string({
    min: 1,
    max: 320,
    pattern: { re: /^[\u0020-\u00FF]+$/u, text: '[\\u0020-\\u00FF]+' },
  }),
  maxItems: m.integer({ min: 1, max: 1000 }),
  tags: m.structList({
    max: 50,
    fields: {
      Key: m.string({
        required: true,
        min: 1,
        max: 128,
        pattern: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, text: TAG_PATTERN_TEXT },
      }),
      Value: m.string({
        required: true,
        min: 0,
        max: 256,
        pattern: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, text: TAG_VALUE_PATTERN_TEXT },
      }),
    },
  }),
  tagKeys: m.stringList({
    required: true,
    max: 50,
    item: {
      min: 1,
      max: 128,
      pattern: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, text: TAG_PATTERN_TEXT },
    },
  }),
}

export const tagShape = {
  list: {
    structure: [
      ['Key', 'string'],
      ['Value', 'string'],
    ],
  },
} as const

export const roleShape: StructureShape = [
  ['Path', 'string'],
  ['RoleName', 'string'],
  ['RoleId', 'string'],
  ['Arn', 'string'],
  ['CreateDate', 'timestamp'],
  ['AssumeRolePolicyDocument', 'string'],
  ['Description', 'string'],
  ['MaxSessionDuration', 'integer'],
  [
    'PermissionsBoundary',
    {
      structure: [
        ['PermissionsBoundaryType', 'string'],
        ['PermissionsBoundaryArn', 'string'],
      ],
    },
  ],
  ['Tags', tagShape],
  [
    'RoleLastUsed',
    {
      structure: [
        ['LastUsedDate', 'timestamp'],
        ['Region', 'string'],
      ],
    },
  ],
]

/** RFC 3986 encoding, as IAM returns policy documents. */
export function encodePolicy(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/gu,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

export function roleView(role: RoleRecord, view: 'full' | 'get' | 'list'): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodePolicy(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary:
      view === 'list' || role.permissionsBoundary === undefined
        ? undefined
        : { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.permissionsBoundary },
    Tags: view === 'list' || role.tags.length === 0 ? undefined : role.tags,
    RoleLastUsed: view === 'get' ? {} : undefined,
  }
}

export function getRole(ctx: ActionContext, name: string): RoleRecord {
  const role = ctx.state.roles.get(name.toLowerCase())
  if (role === undefined)
    throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`)
  return role
}

export function getProvider(ctx: ActionContext, arn: string): ProviderRecord {
  if (!isProviderArn(arn))
    throw new AwsError('InvalidInput', `Invalid OpenID Connect provider ARN: ${arn}`)
  const provider = ctx.state.providers.get(arn)
  if (provider === undefined)
    throw new AwsError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`)
  return provider
}

/** Characters that count toward IAM policy quotas (whitespace is free). */
export function nonWhitespaceLength(text: string): number {
  return text.replace(/\s/gu, '').length
}

/** Trust-policy checks of CreateRole / UpdateAssumeRolePolicy (docs/aws-behaviour.md §13). */
export function checkTrustPolicy(ctx: ActionContext, text: string): void {
  const max = ctx.settings.compat.trustPolicyMaxChars
  if (nonWhitespaceLength(text) > max)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${max}`)
  const result = validateTrustPolicy(text)
  if (!result.ok) throw new AwsError(result.code, result.message)
  // IAM resolves AWS principals of its own account: a role or user that does not exist is refused.
  const own = `arn:aws:iam::${ctx.settings.accountId}:`
  for (const statement of result.policy.statements) {
    for (const spec of [statement.principal, statement.notPrincipal]) {
      if (spec?.kind !== 'map') continue
      for (const entry of spec.entries) {
        if (entry.type !== 'AWS') continue
        for (const value of entry.values) {
          if (!value.startsWith(own)) continue
          const resource = value.slice(own.length)
          const role = /^role\/(?:.*\/)?([\w+=,.@-]+)$/u.exec(resource)
          const exists =
            resource === 'root' ||
            (role?.[1] !== undefined && ctx.state.roles.get(role[1].toLowerCase())?.arn === value)
          if (!exists)
            throw new AwsError(
              'MalformedPolicyDocument',
              `Invalid principal in policy: "AWS":"${value}"`,
            )
        }
      }
    }
  }
}

/** Tag rules beyond the model: reserved prefix and duplicates (case-insensitive for roles). */
export function checkTags(tags: readonly Tag[], caseInsensitive: boolean): void {
  const seen = new Set<string>()
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:'))
      throw new AwsError('InvalidInput', `Tag keys beginning with aws: are reserved: ${tag.Key}`)
    const k = caseInsensitive ? tag.Key.toLowerCase() : tag.Key
    if (seen.has(k))
      throw new AwsError(
        'InvalidInput',
        caseInsensitive
          ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.'
          : 'Duplicate tag keys found.',
      )
    seen.add(k)
  }
}

export function toTags(
  list:
    | ReadonlyArray<{ readonly Key?: string | undefined; readonly Value?: string | undefined }>
    | undefined,
): Tag[] {
  return (list ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))
}

/** Adds or replaces tags; at most 50 in all. */
export function mergeTags(
  existing: readonly Tag[],
  added: readonly Tag[],
  caseInsensitive: boolean,
  what: string,
): Tag[] {
  checkTags(added, caseInsensitive)
  const fold = (k: string): string => (caseInsensitive ? k.toLowerCase() : k)
  const out = existing.filter((t) => !added.some((a) => fold(a.Key) === fold(t.Key)))
  out.push(...added)
  if (out.length > 50) throw new AwsError('LimitExceeded', `Cannot exceed quota for ${what}: 50`)
  return out.sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
}

export function removeTags(
  existing: readonly Tag[],
  keys: readonly string[],
  caseInsensitive: boolean,
): Tag[] {
  const fold = (k: string): string => (caseInsensitive ? k.toLowerCase() : k)
  const drop = new Set(keys.map(fold))
  return existing.filter((t) => !drop.has(fold(t.Key)))
}

/**
 * CreateOpenIDConnectProvider's URL rules (src/federation/aws/provider.ts, docs/aws-behaviour.md
 * §14), with --allow-http-issuers. Returns the URL without scheme.
 */
export function providerUrl(ctx: ActionContext, raw: string): string {
  const url = providerUrlToRegister(raw, ctx.settings.allowHttpIssuers)
  if (url === undefined)
    throw new AwsError('InvalidInput', `Invalid Open ID Connect Provider URL: ${raw}`)
  return url
}

/** Pages of a sorted list with an opaque marker. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  marker: string | undefined,
  maxItems: number | undefined,
): { items: T[]; isTruncated: boolean; marker: string | undefined } {
  const max = maxItems ?? 100
  let start = 0
  if (marker !== undefined) {
    const after = Buffer.from(marker, 'base64url').toString('utf8')
    start = items.findIndex((i) => keyOf(i) > after)
    if (start < 0) start = items.length
  }
  const slice = items.slice(start, start + max)
  const isTruncated = start + max < items.length
  const last = slice[slice.length - 1]
  return {
    items: slice,
    isTruncated,
    marker:
      isTruncated && last !== undefined
        ? Buffer.from(keyOf(last), 'utf8').toString('base64url')
        : undefined,
  }
}
