/**
 * The Google emulator's resources as one JSON document (projects, pools, providers as their IAM
 * v1 definitions, service accounts with their policy history), kept in the emulator's state
 * (`--state FILE`) after every management write and read back at start, so pools and bindings
 * survive a restart like AWS roles. Tokens are not kept. Providers are checked and compiled
 * again on load (with the issuer rules relaxed: what was accepted once stays).
 */
import { checkProvider, type ProviderDefinition } from '../../federation/gcp/provider.js'
import type { Collection } from '../state/types.js'
import { definitionOf } from './definitions.js'
import type { GcpState, LifecycleState, Pool, Project, ServiceAccount } from './state.js'

interface ProviderSnapshot {
  readonly providerId: string
  readonly definition: ProviderDefinition
  readonly state: LifecycleState
  readonly deletedAtMs: number | null
}

interface PoolSnapshot extends Omit<Pool, 'providers' | 'deletedAtMs'> {
  readonly deletedAtMs: number | null
  readonly providers: readonly ProviderSnapshot[]
}

interface Snapshot {
  readonly projects: readonly Project[]
  readonly pools: readonly PoolSnapshot[]
  readonly serviceAccounts: readonly ServiceAccount[]
}

const KEY = 'gcp:resources'

export function saveGcpState(state: GcpState, store: Collection<unknown>): void {
  const snapshot: Snapshot = {
    projects: state.projects(),
    pools: [...state.pools.values()].map(({ providers, deletedAtMs, ...pool }) => ({
      ...pool,
      deletedAtMs: deletedAtMs ?? null,
      providers: [...providers.values()].map((p) => ({
        providerId: p.providerId,
        definition: definitionOf(p.checked),
        state: p.state,
        deletedAtMs: p.deletedAtMs ?? null,
      })),
    })),
    serviceAccounts: [...state.serviceAccounts.values()],
  }
  store.put(KEY, snapshot)
}

/** Fills an empty state from the store (nothing kept: stays empty). */
export function loadGcpState(state: GcpState, store: Collection<unknown>): void {
  const snapshot = store.get(KEY) as Snapshot | undefined
  if (snapshot === undefined) return
  for (const p of snapshot.projects) state.linkProject(p.id, p.number)
  for (const { providers, deletedAtMs, ...pool } of snapshot.pools) {
    const loaded: Pool = { ...pool, deletedAtMs: deletedAtMs ?? undefined, providers: new Map() }
    for (const p of providers) {
      const checked = checkProvider(p.definition, {
        requireHttpsIssuers: false,
        allowHttpIssuers: true,
      })
      if (!checked.ok) continue
      loaded.providers.set(p.providerId, {
        providerId: p.providerId,
        checked: checked.provider,
        state: p.state,
        deletedAtMs: p.deletedAtMs ?? undefined,
      })
    }
    state.pools.set(state.poolKey(pool.projectNumber, pool.poolId), loaded)
  }
  for (const sa of snapshot.serviceAccounts)
    state.serviceAccounts.set(sa.email, { ...sa, policies: [...sa.policies] })
}
