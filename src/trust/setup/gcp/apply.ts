/**
 * `keyless setup gcp --apply`: creates the planned pools and providers and adds the
 * `roles/iam.workloadIdentityUser` bindings through IAM v1 — at the Google emulator or any
 * IAM-compatible URL — keeping what already exists. Everything is read and checked before the
 * first write; a provider that exists but differs refuses the whole plan.
 */
import { KeylessError } from '../../../shared/errors.js'
import { arrayAt, at, entraCall, stringAt, type EntraConnection } from '../azure/entra-http.js'
import { providerDifferences } from './compare.js'
import type { GcpSetupPlan, PlannedBinding, PlannedPool, PlannedProvider } from './model.js'
import { assertGcpFits, providerBody, serviceAccountName } from './render.js'

export interface GcpConnection {
  /** IAM's origin (`https://iam.googleapis.com`, or the emulator's). */
  readonly url: string
  readonly token: string
  readonly ca?: string
  readonly timeoutMs?: number
}

export interface GcpApplyResult {
  readonly lines: readonly string[]
}

interface Policy {
  readonly account: string
  readonly policy: unknown
  readonly add: PlannedBinding[]
}

interface Prepared {
  readonly pools: PlannedPool[]
  readonly providers: PlannedProvider[]
  readonly policies: Policy[]
  readonly kept: string[]
  readonly problems: string[]
}

/** An IAM v1 call (JSON, bearer token, the extra CA) at `c.url` + `path`. */
export function iamCall(
  c: GcpConnection,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): ReturnType<typeof entraCall> {
  return entraCall(conn(c), method, `${c.url}${path}`, body)
}

const conn = (c: GcpConnection): EntraConnection => ({
  graphUrl: c.url,
  armUrl: c.url,
  token: c.token,
  ...(c.ca === undefined ? {} : { ca: c.ca }),
  ...(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }),
})

/** The resource of that name (`projects/…`), or null when Google says 404. */
export async function readIam(c: GcpConnection, name: string): Promise<unknown> {
  try {
    return (await iamCall(c, 'GET', `/v1/${name}`)).json ?? {}
  } catch (error) {
    if (error instanceof KeylessError && error.code === 'not_found') return null
    throw error
  }
}

function membersOf(policy: unknown, role: string): unknown[] {
  const binding = arrayAt(policy, 'bindings').find((b) => stringAt(b, 'role') === role)
  return arrayAt(binding, 'members')
}

async function prepare(c: GcpConnection, plan: GcpSetupPlan): Promise<Prepared> {
  const out: Prepared = { pools: [], providers: [], policies: [], kept: [], problems: [] }
  for (const pool of plan.pools) {
    const existing = await readIam(c, pool.name)
    if (existing === null) out.pools.push(pool)
    else if (stringAt(existing, 'state') === 'DELETED')
      out.problems.push(`pool ${pool.name} is deleted: undelete it (or choose another poolId)`)
    else out.kept.push(`kept pool ${pool.name}`)
  }
  for (const p of plan.providers) {
    const existing = await readIam(c, p.name)
    if (existing === null) out.providers.push(p)
    else {
      const why = providerDifferences(existing, p)
      if (why.length === 0) out.kept.push(`kept provider ${p.name}`)
      else out.problems.push(`provider ${p.name} exists but ${why.join('; ')}: update or delete it`)
    }
  }
  for (const account of new Set(plan.bindings.map((b) => b.serviceAccountEmail))) {
    const name = serviceAccountName(account)
    if ((await readIam(c, name)) === null) {
      out.problems.push(missingAccount(account))
      continue
    }
    const policy = (await entraCall(conn(c), 'POST', `${c.url}/v1/${name}:getIamPolicy`, {})).json
    const add: PlannedBinding[] = []
    for (const b of plan.bindings.filter((x) => x.serviceAccountEmail === account)) {
      if (membersOf(policy, b.role).includes(b.member))
        out.kept.push(`kept ${b.role} of ${b.member} on ${account}`)
      else add.push(b)
    }
    if (add.length > 0) out.policies.push({ account, policy, add })
  }
  return out
}

/** The policy with the bindings added (its etag kept: a concurrent change fails, not lost). */
function nextPolicy(p: Policy): Record<string, unknown> {
  const bindings = arrayAt(p.policy, 'bindings').map((b) => ({
    role: stringAt(b, 'role'),
    members: [...arrayAt(b, 'members')],
  }))
  for (const add of p.add) {
    const binding = bindings.find((b) => b.role === add.role)
    if (binding === undefined) bindings.push({ role: add.role, members: [add.member] })
    else binding.members.push(add.member)
  }
  const etag = at(p.policy, 'etag')
  return { ...(typeof etag === 'string' ? { etag } : {}), bindings }
}

async function write(c: GcpConnection, p: Prepared): Promise<string[]> {
  const lines: string[] = []
  const base = (n: string, i: string) =>
    `${c.url}/v1/projects/${n}/locations/global/workloadIdentityPools${i}`
  for (const pool of p.pools) {
    const q = `?workloadIdentityPoolId=${encodeURIComponent(pool.poolId)}`
    await entraCall(conn(c), 'POST', base(pool.projectNumber, q), { displayName: 'keyless' })
    lines.push(`created pool ${pool.name}`)
  }
  for (const pr of p.providers) {
    const q = `/${encodeURIComponent(pr.poolId)}/providers?workloadIdentityPoolProviderId=${encodeURIComponent(pr.providerId)}`
    await entraCall(conn(c), 'POST', base(pr.projectNumber, q), providerBody(pr))
    lines.push(`created provider ${pr.name}`)
  }
  for (const policy of p.policies) {
    const url = `${c.url}/v1/${serviceAccountName(policy.account)}:setIamPolicy`
    await entraCall(conn(c), 'POST', url, { policy: nextPolicy(policy) })
    for (const b of policy.add) lines.push(`granted ${b.role} to ${b.member} on ${policy.account}`)
  }
  return lines
}

/** Setup does not create service accounts: say how (gcloud, or the same IAM call at the emulator). */
function missingAccount(email: string): string {
  const [id = '', domain = ''] = email.split('@')
  const project = /^([^.]+)\.iam\.gserviceaccount\.com$/u.exec(domain)?.[1] ?? '<project>'
  return `service account ${email} does not exist: create it first (gcloud iam service-accounts create ${id} --project=${project}; at the Google emulator: POST /v1/projects/${project}/serviceAccounts {"accountId":"${id}"})`
}

/** Applies a plan that fits; any problem refuses it before the first write. */
export async function applyGcpSetup(
  plan: GcpSetupPlan,
  connection: GcpConnection,
): Promise<GcpApplyResult> {
  assertGcpFits(plan)
  const prepared = await prepare(connection, plan)
  if (prepared.problems.length > 0)
    throw new KeylessError('conflict', `${prepared.problems.join('\n')}\n(nothing was written)`)
  return { lines: [...prepared.kept, ...(await write(connection, prepared))] }
}
