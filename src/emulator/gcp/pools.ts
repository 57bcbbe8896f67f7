/**
 * IAM v1 `workloadIdentityPools` and `providers`: create (a finished long-running Operation),
 * get, list, patch (`updateMask`), delete (soft, 30 days) and undelete, with Google's checks on
 * every provider write (src/federation/gcp/provider.ts). Paths under
 * `/v1/projects/{number|id}/locations/global/workloadIdentityPools`.
 */
import { randomBytes } from 'node:crypto'
import { validWorkloadId } from '../../federation/gcp/names.js'
import { checkProvider, type ProviderRules } from '../../federation/gcp/provider.js'
import {
  definitionOf,
  patchProvider,
  poolJson,
  providerJson,
  readPool,
  readProvider,
} from './definitions.js'
import {
  apiError,
  invalidArgument,
  json,
  jsonBody,
  notFound,
  type GcpReply,
  type GcpRequest,
} from './reply.js'
import type { GcpState, Pool, StoredProvider } from './state.js'

export interface PoolsContext {
  readonly state: GcpState
  readonly nowMs: number
  readonly providerRules: ProviderRules
}

const PATH =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/workloadIdentityPools(?:\/([^/:]+)(?::(undelete))?(?:\/providers(?:\/([^/:]+)(?::(undelete))?)?)?)?(\/operations\/[^/]+)?$/u

const POOL_TYPE = 'type.googleapis.com/google.iam.v1.WorkloadIdentityPool'
const PROVIDER_TYPE = 'type.googleapis.com/google.iam.v1.WorkloadIdentityPoolProvider'

function operation(resource: Record<string, unknown>, type: string): GcpReply {
  return json(200, {
    name: `${String(resource['name'])}/operations/${randomBytes(12).toString('hex')}`,
    done: true,
    response: { '@type': type, ...resource },
  })
}

const alreadyExists = (): GcpReply =>
  apiError(409, 'ALREADY_EXISTS', 'Requested entity already exists')

function mask(req: GcpRequest): string[] | undefined {
  const m = req.query.get('updateMask')
  return m === null || m === '' ? undefined : m.split(',').map((s) => s.trim())
}

function createPool(ctx: PoolsContext, req: GcpRequest, projectNumber: string): GcpReply {
  const id = req.query.get('workloadIdentityPoolId') ?? ''
  if (!validWorkloadId(id))
    return invalidArgument(
      `The workload identity pool ID ${JSON.stringify(id)} is invalid: 4 to 32 characters of [a-z0-9-], not starting with gcp-.`,
    )
  const body = jsonBody(req.body)
  if (body === undefined) return invalidArgument('Invalid JSON payload received.')
  const fields = readPool(body)
  if (!fields.ok) return invalidArgument(fields.problem)
  if ((fields.value.displayName ?? '').length > 32)
    return invalidArgument('The display name may have at most 32 characters.')
  if ((fields.value.description ?? '').length > 256)
    return invalidArgument('The description may have at most 256 characters.')
  if (ctx.state.pool(projectNumber, id, ctx.nowMs) !== undefined) return alreadyExists()
  const pool: Pool = {
    projectNumber,
    poolId: id,
    displayName: fields.value.displayName ?? '',
    description: fields.value.description ?? '',
    disabled: fields.value.disabled ?? false,
    state: 'ACTIVE',
    deletedAtMs: undefined,
    providers: new Map(),
  }
  ctx.state.pools.set(ctx.state.poolKey(projectNumber, id), pool)
  return operation(poolJson(pool), POOL_TYPE)
}

function poolRoute(ctx: PoolsContext, req: GcpRequest, pool: Pool, undelete: boolean): GcpReply {
  if (undelete) {
    if (req.method !== 'POST') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
    if (pool.state !== 'DELETED')
      return apiError(400, 'FAILED_PRECONDITION', 'The workload identity pool is not deleted.')
    pool.state = 'ACTIVE'
    pool.deletedAtMs = undefined
    return operation(poolJson(pool), POOL_TYPE)
  }
  if (req.method === 'GET') return json(200, poolJson(pool))
  if (req.method === 'DELETE') {
    if (pool.state === 'DELETED') return notFound()
    pool.state = 'DELETED'
    pool.deletedAtMs = ctx.nowMs
    return operation(poolJson(pool), POOL_TYPE)
  }
  if (req.method !== 'PATCH') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
  if (pool.state === 'DELETED') return notFound()
  const body = jsonBody(req.body)
  if (body === undefined) return invalidArgument('Invalid JSON payload received.')
  const fields = readPool(body)
  if (!fields.ok) return invalidArgument(fields.problem)
  const v = fields.value
  for (const f of mask(req) ?? Object.keys(v)) {
    if (f === 'displayName') pool.displayName = v.displayName ?? ''
    else if (f === 'description') pool.description = v.description ?? ''
    else if (f === 'disabled') pool.disabled = v.disabled ?? false
    else return invalidArgument(`Invalid update mask path: ${f}.`)
  }
  return operation(poolJson(pool), POOL_TYPE)
}

function createProvider(ctx: PoolsContext, req: GcpRequest, pool: Pool): GcpReply {
  const id = req.query.get('workloadIdentityPoolProviderId') ?? ''
  if (!validWorkloadId(id))
    return invalidArgument(
      `The workload identity pool provider ID ${JSON.stringify(id)} is invalid: 4 to 32 characters of [a-z0-9-], not starting with gcp-.`,
    )
  const body = jsonBody(req.body)
  if (body === undefined) return invalidArgument('Invalid JSON payload received.')
  const definition = readProvider(body)
  if (!definition.ok) return invalidArgument(definition.problem)
  const checked = checkProvider(definition.value, ctx.providerRules)
  if (!checked.ok) return invalidArgument(checked.problem)
  if (ctx.state.provider(pool, id, ctx.nowMs) !== undefined) return alreadyExists()
  const stored: StoredProvider = {
    providerId: id,
    checked: checked.provider,
    state: 'ACTIVE',
    deletedAtMs: undefined,
  }
  pool.providers.set(id, stored)
  return operation(providerJson(pool, stored), PROVIDER_TYPE)
}

function providerRoute(
  ctx: PoolsContext,
  req: GcpRequest,
  pool: Pool,
  stored: StoredProvider,
  undelete: boolean,
): GcpReply {
  if (undelete) {
    if (req.method !== 'POST') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
    if (stored.state !== 'DELETED')
      return apiError(
        400,
        'FAILED_PRECONDITION',
        'The workload identity pool provider is not deleted.',
      )
    stored.state = 'ACTIVE'
    stored.deletedAtMs = undefined
    return operation(providerJson(pool, stored), PROVIDER_TYPE)
  }
  if (req.method === 'GET') return json(200, providerJson(pool, stored))
  if (req.method === 'DELETE') {
    if (stored.state === 'DELETED') return notFound()
    stored.state = 'DELETED'
    stored.deletedAtMs = ctx.nowMs
    return operation(providerJson(pool, stored), PROVIDER_TYPE)
  }
  if (req.method !== 'PATCH') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
  if (stored.state === 'DELETED') return notFound()
  const body = jsonBody(req.body)
  if (body === undefined) return invalidArgument('Invalid JSON payload received.')
  const patch = readProvider(body)
  if (!patch.ok) return invalidArgument(patch.problem)
  const merged = patchProvider(definitionOf(stored.checked), patch.value, mask(req))
  if (!merged.ok) return invalidArgument(merged.problem)
  const checked = checkProvider(merged.value, ctx.providerRules)
  if (!checked.ok) return invalidArgument(checked.problem)
  stored.checked = checked.provider
  return operation(providerJson(pool, stored), PROVIDER_TYPE)
}

function list<T>(req: GcpRequest, items: Iterable<T>, deleted: (t: T) => boolean): T[] {
  const showDeleted = req.query.get('showDeleted') === 'true'
  return [...items].filter((t) => showDeleted || !deleted(t))
}

/** Routes the pool and provider paths; undefined when the path is not one of them. */
export function poolsRoute(ctx: PoolsContext, req: GcpRequest): GcpReply | undefined {
  const m = PATH.exec(req.path)
  if (m === null) return undefined
  const [, projectRef = '', location, poolId, poolUndelete, providerId, providerUndelete, op] = m
  if (location !== 'global') return notFound()
  const { number } = ctx.state.project(projectRef)
  if (op !== undefined) return json(200, { name: req.path.slice(4), done: true })
  if (poolId === undefined) {
    if (req.method === 'POST') return createPool(ctx, req, number)
    if (req.method !== 'GET') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
    const pools = list(
      req,
      [...ctx.state.pools.values()].filter((p) => p.projectNumber === number),
      (p) => p.state === 'DELETED',
    )
    return json(200, pools.length === 0 ? {} : { workloadIdentityPools: pools.map(poolJson) })
  }
  const pool = ctx.state.pool(number, poolId, ctx.nowMs)
  if (pool === undefined) return notFound()
  const providersPath = req.path.includes('/providers')
  if (!providersPath) return poolRoute(ctx, req, pool, poolUndelete !== undefined)
  if (providerId === undefined) {
    if (req.method === 'POST') {
      if (pool.state === 'DELETED') return notFound()
      return createProvider(ctx, req, pool)
    }
    if (req.method !== 'GET') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
    const providers = list(req, pool.providers.values(), (p) => p.state === 'DELETED')
    return json(
      200,
      providers.length === 0
        ? {}
        : { workloadIdentityPoolProviders: providers.map((p) => providerJson(pool, p)) },
    )
  }
  const stored = ctx.state.provider(pool, providerId, ctx.nowMs)
  if (stored === undefined) return notFound()
  return providerRoute(ctx, req, pool, stored, providerUndelete !== undefined)
}
