/**
 * The Google emulator's state, in memory (docs/emulator.md, "Google"): projects created on first
 * use by number or id, workload identity pools and their providers (soft-deleted for 30 days, as
 * Google does), service accounts with their IAM policy, and the tokens STS and IAM Credentials
 * issued.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { FederatedIdentity, IamPolicy } from '../../federation/gcp/index.js'
import type { CheckedProvider } from '../../federation/gcp/provider.js'

export const DELETED_RETENTION_MS = 30 * 24 * 3600 * 1000

export interface Project {
  readonly number: string
  readonly id: string
}

export type LifecycleState = 'ACTIVE' | 'DELETED'

export interface StoredProvider {
  readonly providerId: string
  checked: CheckedProvider
  state: LifecycleState
  deletedAtMs: number | undefined
}

export interface Pool {
  readonly projectNumber: string
  readonly poolId: string
  displayName: string
  description: string
  disabled: boolean
  state: LifecycleState
  deletedAtMs: number | undefined
  readonly providers: Map<string, StoredProvider>
}

export interface PolicyVersion {
  readonly policy: IamPolicy
  /** When exchanges start to see it (a binding propagation delay). */
  readonly effectiveAtMs: number
}

export interface ServiceAccount {
  readonly projectId: string
  readonly projectNumber: string
  readonly accountId: string
  readonly email: string
  readonly uniqueId: string
  displayName: string
  description: string
  disabled: boolean
  /** Newest last. */
  readonly policies: PolicyVersion[]
}

export interface FederatedToken {
  readonly identity: FederatedIdentity
  readonly provider: string
  readonly expiresAtMs: number
}

export interface AccessToken {
  readonly email: string
  readonly scopes: readonly string[]
  readonly expiresAtMs: number
}

/** A 12-digit project number derived from a project id (stable across restarts). */
function numberFor(id: string): string {
  const h = createHash('sha256').update(id).digest()
  return String(100_000_000_000 + ((h.readUInt32BE(0) * 256 + (h[4] ?? 0)) % 899_999_999_999))
}

export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(48).toString('base64url')}`
}

export class GcpState {
  readonly #byNumber = new Map<string, Project>()
  readonly #byId = new Map<string, Project>()
  readonly pools = new Map<string, Pool>()
  readonly serviceAccounts = new Map<string, ServiceAccount>()
  readonly federatedTokens = new Map<string, FederatedToken>()
  readonly accessTokens = new Map<string, AccessToken>()

  /** The project a path names by number or id, created on first use. */
  project(ref: string): Project {
    const known = this.#byNumber.get(ref) ?? this.#byId.get(ref)
    if (known !== undefined) return known
    const project: Project = /^\d+$/u.test(ref)
      ? { number: ref, id: `project-${ref}` }
      : { number: numberFor(ref), id: ref }
    this.#byNumber.set(project.number, project)
    this.#byId.set(project.id, project)
    return project
  }

  /** Every project seen so far. */
  projects(): Project[] {
    return [...this.#byNumber.values()]
  }

  /** Links a project id to a number (both new), for setups that name a project both ways. */
  linkProject(id: string, number: string): Project | undefined {
    if (this.#byId.has(id) || this.#byNumber.has(number)) {
      const a = this.#byId.get(id)
      return a !== undefined && a.number === number ? a : undefined
    }
    const project = { number, id }
    this.#byNumber.set(number, project)
    this.#byId.set(id, project)
    return project
  }

  poolKey(projectNumber: string, poolId: string): string {
    return `${projectNumber}/${poolId}`
  }

  pool(projectNumber: string, poolId: string, nowMs: number): Pool | undefined {
    const pool = this.pools.get(this.poolKey(projectNumber, poolId))
    if (pool === undefined) return undefined
    if (pool.state === 'DELETED' && nowMs - (pool.deletedAtMs ?? 0) > DELETED_RETENTION_MS) {
      this.pools.delete(this.poolKey(projectNumber, poolId))
      return undefined
    }
    return pool
  }

  provider(pool: Pool, providerId: string, nowMs: number): StoredProvider | undefined {
    const p = pool.providers.get(providerId)
    if (p === undefined) return undefined
    if (p.state === 'DELETED' && nowMs - (p.deletedAtMs ?? 0) > DELETED_RETENTION_MS) {
      pool.providers.delete(providerId)
      return undefined
    }
    return p
  }

  /** By email or unique id. */
  serviceAccount(ref: string): ServiceAccount | undefined {
    const byEmail = this.serviceAccounts.get(ref.toLowerCase())
    if (byEmail !== undefined) return byEmail
    for (const sa of this.serviceAccounts.values()) if (sa.uniqueId === ref) return sa
    return undefined
  }

  /** The policy an exchange at `nowMs` sees. */
  effectivePolicy(sa: ServiceAccount, nowMs: number): IamPolicy | undefined {
    for (let i = sa.policies.length - 1; i >= 0; i -= 1) {
      const v = sa.policies[i]
      if (v !== undefined && v.effectiveAtMs <= nowMs) return v.policy
    }
    return undefined
  }

  #nextPruneMs = 0

  /** Forgets tokens past their expiry (called as tokens are issued; a sweep at most a minute). */
  prune(nowMs: number): void {
    if (nowMs < this.#nextPruneMs || this.federatedTokens.size + this.accessTokens.size < 10_000)
      return
    this.#nextPruneMs = nowMs + 60_000
    for (const [k, t] of this.federatedTokens)
      if (t.expiresAtMs <= nowMs) this.federatedTokens.delete(k)
    for (const [k, t] of this.accessTokens) if (t.expiresAtMs <= nowMs) this.accessTokens.delete(k)
  }
}
