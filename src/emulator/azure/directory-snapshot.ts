/**
 * The Entra emulator's directory as one JSON document (apps, managed identities and their
 * federated credentials), kept in the emulator's state (`--state FILE`) after every management
 * write and read back at start, so `keyless setup azure --apply` survives a restart like AWS roles.
 */
import type { Fic } from '../../federation/azure/fic.js'
import type { Collection } from '../state/types.js'
import type { Application, AzureDirectory, ManagedIdentity } from './directory.js'

interface Snapshot {
  readonly applications: ReadonlyArray<Omit<Application, 'fics'> & { fics: Fic[] }>
  readonly identities: ReadonlyArray<Omit<ManagedIdentity, 'fics' | 'writing'> & { fics: Fic[] }>
}

const keyOf = (directory: AzureDirectory): string => `azure:${directory.tenantId}`

export function saveDirectory(directory: AzureDirectory, store: Collection<unknown>): void {
  const snapshot: Snapshot = {
    applications: [...directory.applications.values()].map((a) => ({
      ...a,
      fics: [...a.fics.values()],
    })),
    identities: [...directory.identities.values()].map(({ writing: _w, ...mi }) => ({
      ...mi,
      fics: [...mi.fics.values()],
    })),
  }
  store.put(keyOf(directory), snapshot)
}

/** Fills an empty directory from the store (nothing kept: stays empty). */
export function loadDirectory(directory: AzureDirectory, store: Collection<unknown>): void {
  const snapshot = store.get(keyOf(directory)) as Snapshot | undefined
  if (snapshot === undefined) return
  for (const a of snapshot.applications)
    directory.applications.set(a.id, { ...a, fics: new Map(a.fics.map((f) => [f.name, f])) })
  for (const mi of snapshot.identities)
    directory.identities.set(mi.resourceId.toLowerCase(), {
      ...mi,
      writing: false,
      fics: new Map(mi.fics.map((f) => [f.name, f])),
    })
}
