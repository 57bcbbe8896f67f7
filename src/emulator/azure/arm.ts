/**
 * ARM's shapes for user-assigned managed identities and their federated identity credentials
 * (api-version 2023-01-31 or 2024-11-30). A FIC write holds its identity for a short while; a
 * second write under the same identity meanwhile gets 409, as Azure refuses concurrent writes.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { checkFic, checkSiblings, type Fic, type FicProblem } from '../../federation/azure/fic.js'
import type { AzureDirectory, ManagedIdentity } from './directory.js'
import { json, jsonObject, type AzureReply, type AzureRequest } from './reply.js'

export const ARM_API_VERSIONS = ['2024-11-30', '2023-01-31'] as const
const FIC_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials'

export interface ArmContext {
  readonly directory: AzureDirectory
  readonly nowMs: number
  /** How long a FIC write holds its identity (ms). */
  readonly writeHoldMs: number
}

export function armError(status: number, code: string, message: string): AzureReply {
  return json(status, { error: { code, message } })
}

function problemText(p: FicProblem): string {
  switch (p.kind) {
    case 'name-invalid':
      return `Federated Identity Credential name '${p.name}' is invalid.`
    case 'audience-count':
      return 'Federated identity credentials must have exactly one audience.'
    case 'duplicate':
      return 'Issuer and subject combination already exists for this Managed Identity.'
    case 'limit':
      return 'Too many Federated Identity Credentials for this Managed Identity. The maximum is 20.'
    case 'field-missing':
      return `Federated Identity Credential property '${p.field}' is required.`
    case 'field-too-long':
      return `Federated Identity Credential property '${p.field}' exceeds the maximum length of 600.`
    case 'field-not-string':
      return `Federated Identity Credential property '${p.field}' must be a string.`
    default:
      return 'Federated Identity Credential is invalid.'
  }
}

const IDENTITY =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+))(?:\/federatedIdentityCredentials(?:\/([^/]+))?)?$/iu

function identityJson(mi: ManagedIdentity, tenantId: string): Record<string, unknown> {
  return {
    id: mi.resourceId,
    name: mi.name,
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    location: mi.location,
    tags: mi.tags,
    properties: { tenantId, principalId: mi.principalId, clientId: mi.clientId },
  }
}

function ficJson(mi: ManagedIdentity, f: Fic): Record<string, unknown> {
  return {
    id: `${mi.resourceId}/federatedIdentityCredentials/${f.name}`,
    name: f.name,
    type: FIC_TYPE,
    properties: { issuer: f.issuer, subject: f.subject, audiences: f.audiences },
  }
}

async function putFic(
  ctx: ArmContext,
  mi: ManagedIdentity,
  name: string,
  body: Record<string, unknown> | undefined,
): Promise<AzureReply> {
  const props = body?.['properties']
  if (typeof props !== 'object' || props === null || Object.keys(props).length === 0)
    return armError(
      400,
      'BadRequest',
      'Federated Identity Credential from HTTP body has empty properties',
    )
  if (mi.writing)
    return armError(
      409,
      'ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity',
      `Too many Federated Identity Credentials are written concurrently for the managed identity '${mi.resourceId}'. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.`,
    )
  const p = props as Record<string, unknown>
  const checked = checkFic(
    {
      name,
      issuer: p['issuer'],
      subject: p['subject'],
      audiences: p['audiences'],
      description: undefined,
    },
    { flexible: false, flexibleIssuers: [] },
  )
  if ('kind' in checked) return armError(400, 'BadRequest', problemText(checked))
  const existing = mi.fics.get(name)
  const sibling = checkSiblings(checked, [...mi.fics.values()], existing?.name)
  if (sibling !== undefined) return armError(400, 'BadRequest', problemText(sibling))
  mi.writing = true
  try {
    if (ctx.writeHoldMs > 0) await sleep(ctx.writeHoldMs)
  } finally {
    mi.writing = false
  }
  const fic: Fic = { ...checked, id: existing?.id ?? randomUUID(), createdAtMs: ctx.nowMs }
  mi.fics.set(name, fic)
  return json(existing === undefined ? 201 : 200, ficJson(mi, fic))
}

function ficRoute(
  ctx: ArmContext,
  req: AzureRequest,
  mi: ManagedIdentity,
  name: string | undefined,
): Promise<AzureReply> | AzureReply {
  if (name === undefined) {
    if (req.method !== 'GET')
      return armError(405, 'MethodNotAllowed', 'The requested method is not allowed.')
    return json(200, { value: [...mi.fics.values()].map((f) => ficJson(mi, f)) })
  }
  if (req.method === 'PUT') return putFic(ctx, mi, name, jsonObject(req.body))
  const fic = mi.fics.get(name)
  if (req.method === 'DELETE') {
    mi.fics.delete(name)
    return { status: fic === undefined ? 204 : 200 }
  }
  if (fic === undefined)
    return armError(404, 'NotFound', `The Federated Identity Credential '${name}' doesn't exist.`)
  if (req.method === 'GET') return json(200, ficJson(mi, fic))
  return armError(405, 'MethodNotAllowed', 'The requested method is not allowed.')
}

/** Routes /subscriptions/…/userAssignedIdentities/…; undefined when the path is not ARM's. */
export function armRoute(
  ctx: ArmContext,
  req: AzureRequest,
): Promise<AzureReply> | AzureReply | undefined {
  if (!req.path.toLowerCase().startsWith('/subscriptions')) return undefined
  const version = req.query.get('api-version')
  if (version === null)
    return armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    )
  const m = IDENTITY.exec(req.path)
  if (m === null)
    return armError(
      404,
      'InvalidResourceType',
      `The resource type could not be found in the namespace for api version '${version}'.`,
    )
  if (!(ARM_API_VERSIONS as readonly string[]).includes(version))
    return armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${ARM_API_VERSIONS.join(',')}'.`,
    )
  const [, resourceId = '', name = '', ficName] = m
  const isFic = /\/federatedIdentityCredentials/iu.test(req.path)
  const mi = ctx.directory.identity(resourceId)
  if (isFic) {
    if (mi === undefined)
      return armError(
        404,
        'ParentResourceNotFound',
        "The parent user-assigned identity doesn't exist.",
      )
    return ficRoute(ctx, req, mi, ficName)
  }
  if (req.method === 'PUT') {
    const body = jsonObject(req.body)
    const location = typeof body?.['location'] === 'string' ? body['location'] : ''
    if (location === '')
      return armError(
        400,
        'LocationRequired',
        'The location property is required for this definition.',
      )
    const tags = (
      typeof body?.['tags'] === 'object' && body['tags'] !== null ? body['tags'] : {}
    ) as Record<string, string>
    const { identity, created } = ctx.directory.putIdentity(resourceId, name, location, tags)
    return json(created ? 201 : 200, identityJson(identity, ctx.directory.tenantId))
  }
  if (mi === undefined)
    return armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${name}' was not found.`,
    )
  if (req.method === 'GET') return json(200, identityJson(mi, ctx.directory.tenantId))
  if (req.method === 'DELETE') {
    ctx.directory.identities.delete(resourceId.toLowerCase())
    return { status: 200 }
  }
  return armError(405, 'MethodNotAllowed', 'The requested method is not allowed.')
}
