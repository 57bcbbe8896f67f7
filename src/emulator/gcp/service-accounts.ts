/**
 * IAM v1 service accounts (create/get/list/patch/delete) and their IAM policy
 * (`:getIamPolicy`, `:setIamPolicy` with etags). The email uses the project id, as Google does.
 * A policy write reaches token requests after the binding propagation delay (default 0).
 */
import { randomInt } from 'node:crypto'
import {
  serviceAccountEmail,
  validAccountId,
  validMember,
  validRole,
  type IamBinding,
  type IamPolicy,
} from '../../federation/gcp/index.js'
import {
  apiError,
  invalidArgument,
  json,
  jsonBody,
  type GcpReply,
  type GcpRequest,
} from './reply.js'
import type { GcpState, ServiceAccount } from './state.js'

export interface ServiceAccountsContext {
  readonly state: GcpState
  readonly nowMs: number
  readonly bindingPropagationSeconds: number
}

const PATH =
  /^\/v1\/projects\/([^/]+)\/serviceAccounts(?:\/([^/:]+)(?::(getIamPolicy|setIamPolicy))?)?$/u

const EMPTY_ETAG = 'ACAB'

const unknownAccount = (): GcpReply => apiError(404, 'NOT_FOUND', 'Unknown service account')

function uniqueId(): string {
  let s = String(randomInt(1, 10))
  for (let i = 0; i < 20; i += 1) s += String(randomInt(0, 10))
  return s
}

function accountJson(sa: ServiceAccount): Record<string, unknown> {
  return {
    name: `projects/${sa.projectId}/serviceAccounts/${sa.email}`,
    projectId: sa.projectId,
    uniqueId: sa.uniqueId,
    email: sa.email,
    ...(sa.displayName === '' ? {} : { displayName: sa.displayName }),
    ...(sa.description === '' ? {} : { description: sa.description }),
    etag: 'MDEwMjE5MjA=',
    oauth2ClientId: sa.uniqueId,
    ...(sa.disabled ? { disabled: true } : {}),
  }
}

function createAccount(ctx: ServiceAccountsContext, req: GcpRequest, projectRef: string): GcpReply {
  if (projectRef === '-')
    return invalidArgument('A project id is required to create a service account.')
  const body = jsonBody(req.body)
  if (body === undefined) return invalidArgument('Invalid JSON payload received.')
  const accountId = body['accountId']
  if (typeof accountId !== 'string' || !validAccountId(accountId))
    return invalidArgument(
      'accountId must be 6 to 30 characters: a lowercase letter, then lowercase letters, digits and hyphens, not ending with a hyphen.',
    )
  const details = (body['serviceAccount'] ?? {}) as Record<string, unknown>
  const project = ctx.state.project(projectRef)
  const email = serviceAccountEmail(accountId, project.id)
  if (ctx.state.serviceAccounts.has(email))
    return apiError(
      409,
      'ALREADY_EXISTS',
      `Service account ${accountId} already exists within project projects/${project.id}.`,
    )
  const sa: ServiceAccount = {
    projectId: project.id,
    projectNumber: project.number,
    accountId,
    email,
    uniqueId: uniqueId(),
    displayName: typeof details['displayName'] === 'string' ? details['displayName'] : '',
    description: typeof details['description'] === 'string' ? details['description'] : '',
    disabled: false,
    policies: [],
  }
  ctx.state.serviceAccounts.set(email, sa)
  return json(200, accountJson(sa))
}

function readBindings(v: unknown): IamBinding[] | string {
  if (v === undefined) return []
  if (!Array.isArray(v)) return 'policy.bindings must be a list.'
  const out: IamBinding[] = []
  for (const b of v as unknown[]) {
    const role = (b as { role?: unknown } | null)?.role
    const members = (b as { members?: unknown } | null)?.members
    if (typeof role !== 'string' || !validRole(role))
      return `Role ${JSON.stringify(role ?? null)} is not a valid role name.`
    if (!Array.isArray(members) || !members.every((m) => typeof m === 'string'))
      return `The members of ${role} must be a list of strings.`
    const bad = members.find((m) => !validMember(m))
    if (bad !== undefined) return `Invalid principal: ${bad}`
    if (members.length > 0) out.push({ role, members: [...new Set(members)] })
  }
  return out
}

function currentPolicy(sa: ServiceAccount): IamPolicy {
  return (
    sa.policies[sa.policies.length - 1]?.policy ?? { version: 1, etag: EMPTY_ETAG, bindings: [] }
  )
}

function policyJson(p: IamPolicy): Record<string, unknown> {
  return {
    version: p.version,
    etag: p.etag,
    ...(p.bindings.length === 0 ? {} : { bindings: p.bindings }),
  }
}

function setPolicy(ctx: ServiceAccountsContext, req: GcpRequest, sa: ServiceAccount): GcpReply {
  const body = jsonBody(req.body)
  const policy = body?.['policy']
  if (typeof policy !== 'object' || policy === null)
    return invalidArgument('Request contains an invalid argument.')
  const p = policy as Record<string, unknown>
  const current = currentPolicy(sa)
  if (typeof p['etag'] === 'string' && p['etag'] !== current.etag)
    return apiError(
      409,
      'ABORTED',
      'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.',
    )
  const bindings = readBindings(p['bindings'])
  if (typeof bindings === 'string') return invalidArgument(bindings)
  const etag = Buffer.from(`keyless-${sa.policies.length + 1}-${ctx.nowMs}`).toString('base64')
  const next: IamPolicy = { version: 1, etag, bindings }
  sa.policies.push({
    policy: next,
    effectiveAtMs: ctx.nowMs + ctx.bindingPropagationSeconds * 1000,
  })
  return json(200, policyJson(next))
}

/** Routes the service-account paths; undefined when the path is not one of them. */
export function serviceAccountsRoute(
  ctx: ServiceAccountsContext,
  req: GcpRequest,
): GcpReply | undefined {
  const m = PATH.exec(req.path)
  if (m === null) return undefined
  const [, projectRef = '', ref, verb] = m
  if (ref === undefined) {
    if (req.method === 'POST') return createAccount(ctx, req, projectRef)
    if (req.method !== 'GET') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
    const project = projectRef === '-' ? undefined : ctx.state.project(projectRef)
    const accounts = [...ctx.state.serviceAccounts.values()].filter(
      (sa) => project === undefined || sa.projectId === project.id,
    )
    return json(200, accounts.length === 0 ? {} : { accounts: accounts.map(accountJson) })
  }
  const sa = ctx.state.serviceAccount(ref)
  if (sa === undefined) return unknownAccount()
  if (verb === 'getIamPolicy') return json(200, policyJson(currentPolicy(sa)))
  if (verb === 'setIamPolicy') return setPolicy(ctx, req, sa)
  if (req.method === 'GET') return json(200, accountJson(sa))
  if (req.method === 'DELETE') {
    ctx.state.serviceAccounts.delete(sa.email)
    return json(200, {})
  }
  if (req.method === 'PATCH') {
    const body = jsonBody(req.body)
    const sub = (body?.['serviceAccount'] ?? body ?? {}) as Record<string, unknown>
    if (typeof sub['displayName'] === 'string') sa.displayName = sub['displayName']
    if (typeof sub['description'] === 'string') sa.description = sub['description']
    return json(200, accountJson(sa))
  }
  return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
}
