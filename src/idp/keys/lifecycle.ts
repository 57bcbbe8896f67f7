import type { KeyState, SigningKeyInfo } from '../types.js'
import type { SigningAlg } from './key-material.js'

/**
 * The key lifecycle, as pure functions of the stored rows and the time (docs/architecture.md §3,
 * §9):
 *
 * - a key is published from its creation and signs from `activatesAt` (the pre-publication
 *   window lets verifiers fetch it before the first token signed with it arrives);
 * - it signs until the next key (ordered by `activatesAt`) activates: its `supersededAt`;
 * - it stays published until every token it signed has expired: `unpublishAt` =
 *   `supersededAt` + token lifetime; after that it is retired (kept in the table, never served).
 *
 * pending: now < activatesAt · active: activatesAt ≤ now < supersededAt ·
 * retiring: supersededAt ≤ now < unpublishAt · retired: unpublishAt ≤ now.
 *
 * Nothing is stored but `createdAt` and `activatesAt`, so every replica computes the same states.
 */
export interface KeyRecord {
  readonly kid: string
  readonly alg: SigningAlg
  readonly createdAt: Date
  readonly activatesAt: Date
}

export interface ScheduledKey extends KeyRecord {
  readonly supersededAt: Date | null
  readonly unpublishAt: Date | null
}

/** Oldest first: by activation, then creation, then kid (a total order every replica agrees on). */
export function compareKeys(a: KeyRecord, b: KeyRecord): number {
  return (
    a.activatesAt.getTime() - b.activatesAt.getTime() ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0)
  )
}

/** Orders the keys and derives when each one is superseded and unpublished. */
export function scheduleKeys(
  keys: readonly KeyRecord[],
  tokenTtlSeconds: number,
): readonly ScheduledKey[] {
  const ordered = [...keys].sort(compareKeys)
  return ordered.map((key, i) => {
    const next = ordered[i + 1]
    const supersededAt = next === undefined ? null : next.activatesAt
    const unpublishAt =
      supersededAt === null ? null : new Date(supersededAt.getTime() + tokenTtlSeconds * 1000)
    return { ...key, supersededAt, unpublishAt }
  })
}

export function keyState(key: ScheduledKey, now: Date): KeyState {
  const t = now.getTime()
  if (key.unpublishAt !== null && t >= key.unpublishAt.getTime()) return 'retired'
  if (key.supersededAt !== null && t >= key.supersededAt.getTime()) return 'retiring'
  if (t < key.activatesAt.getTime()) return 'pending'
  return 'active'
}

/** The key that signs at `now`, if any. */
export function signingKeyAt<K extends ScheduledKey>(keys: readonly K[], now: Date): K | undefined {
  return keys.find((k) => keyState(k, now) === 'active')
}

/** Keys in the JWKS at `now` (pending, active and retiring), oldest first. */
export function publishedKeysAt<K extends ScheduledKey>(keys: readonly K[], now: Date): K[] {
  return keys.filter((k) => keyState(k, now) !== 'retired')
}

/** The public view of one key at `now`. */
export function keyInfo(key: ScheduledKey, now: Date): SigningKeyInfo {
  return {
    kid: key.kid,
    alg: key.alg,
    state: keyState(key, now),
    createdAt: key.createdAt,
    activatesAt: key.activatesAt,
    supersededAt: key.supersededAt,
    unpublishAt: key.unpublishAt,
  }
}
