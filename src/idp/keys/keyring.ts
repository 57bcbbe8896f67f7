import type { CryptoKey, JWK } from 'jose'
import type { Clock } from '../../shared/clock.js'
import { KeylessError } from '../../shared/errors.js'
import type { Logger } from '../../shared/logger.js'
import type { Store } from '../../store/database.js'
import { generateKeyMaterial, importSigningKey, type SigningAlg } from './key-material.js'
import { keyState, scheduleKeys, type KeyRecord, type ScheduledKey } from './lifecycle.js'
import { insertFirstRow, insertRow, listKids, loadRows, type SigningKeyRow } from './repository.js'
import { seal, sealingKey, unseal } from './sealing.js'

/** A key as held in memory: its schedule, public JWK and (when it may still sign) its CryptoKey. */
export interface LoadedKey extends ScheduledKey {
  readonly publicJwk: JWK
  /** Imported once; undefined for keys that will never sign again or that did not unseal. */
  readonly signingKey: CryptoKey | undefined
  readonly unsealFailed: boolean
}

export interface KeyRingOptions {
  readonly store: Store
  readonly masterKey: Buffer
  readonly clock: Clock
  readonly logger: Logger
  readonly tokenTtlSeconds: number
}

/**
 * The signing keys of one process: a cache of the `signing_keys` table with the private keys
 * unsealed and imported once. `refresh()` reads the table again (cheaply: kids first, whole rows
 * only for new keys), so keys added by another process (`keyless keys rotate`) are picked up.
 */
export class KeyRing {
  readonly #options: KeyRingOptions
  readonly #sealingKey: Buffer
  #loaded = new Map<string, Omit<LoadedKey, 'supersededAt' | 'unpublishAt'>>()
  #keys: readonly LoadedKey[] = []

  constructor(options: KeyRingOptions) {
    this.#options = options
    this.#sealingKey = sealingKey(options.masterKey)
  }

  /** Every known key, oldest first, with its schedule. */
  get keys(): readonly LoadedKey[] {
    return this.#keys
  }

  /**
   * Reads the table and imports new keys. With `strict`, a key that does not unseal stops
   * everything with `key_decryption_failed` (startup, CLI); otherwise it is logged and kept
   * unusable, and the rest keeps working (a running server).
   */
  async refresh(strict: boolean): Promise<{ added: string[] }> {
    const { store, logger } = this.#options
    const kids = await listKids(store)
    const known = new Set(kids)
    const fresh = kids.filter((k) => !this.#loaded.has(k))
    const removed = [...this.#loaded.keys()].filter((k) => !known.has(k))
    if (fresh.length === 0 && removed.length === 0) return { added: [] }

    const rows = await loadRows(store, fresh)
    const next = new Map(this.#loaded)
    for (const kid of removed) next.delete(kid)
    const records = [...next.values(), ...rows.map(recordOf)]
    const schedule = new Map(
      scheduleKeys(records, this.#options.tokenTtlSeconds).map((k) => [k.kid, k]),
    )
    const now = this.#options.clock.now()
    const failed: string[] = []
    for (const row of rows) {
      const scheduled = schedule.get(row.kid)
      const mayStillSign =
        scheduled !== undefined && ['pending', 'active'].includes(keyState(scheduled, now))
      let signingKey: CryptoKey | undefined
      let unsealFailed = false
      if (mayStillSign) {
        signingKey = await this.#open(row)
        if (signingKey === undefined) {
          unsealFailed = true
          failed.push(row.kid)
        }
      }
      next.set(row.kid, {
        ...recordOf(row),
        publicJwk: JSON.parse(row.public_jwk) as JWK,
        signingKey,
        unsealFailed,
      })
    }
    if (failed.length > 0) {
      const error = decryptionError(failed)
      if (strict) throw error
      logger.error({ kids: failed, code: error.code }, error.message)
    }
    this.#loaded = next
    this.#keys = scheduleKeys([...next.values()], this.#options.tokenTtlSeconds).map((k) => ({
      ...k,
      ...(next.get(k.kid) as Omit<LoadedKey, 'supersededAt' | 'unpublishAt'>),
    }))
    return { added: rows.map((r) => r.kid) }
  }

  /**
   * Creates the very first key, active at once, when the table is empty (no pre-publication:
   * nothing can have trusted an issuer that had no keys). Replicas starting together on an empty
   * database end up with one first key.
   */
  async ensureFirstKey(alg: SigningAlg): Promise<string | undefined> {
    if ((await listKids(this.#options.store)).length > 0) return undefined
    const now = this.#options.clock.now()
    const row = await this.#newRow(alg, now, now)
    let inserted: boolean
    try {
      inserted = await insertFirstRow(this.#options.store, row)
    } catch (error) {
      // SQLite: another process wrote first and our read snapshot went stale.
      if ((await listKids(this.#options.store)).length === 0) throw error
      inserted = false
    }
    return inserted ? row.kid : undefined
  }

  /** Adds a key that is published from `createdAt` (default now) and signs from `activatesAt`. */
  async addKey(
    alg: SigningAlg,
    activatesAt: Date,
    createdAt: Date = this.#options.clock.now(),
  ): Promise<string> {
    const row = await this.#newRow(alg, createdAt, activatesAt)
    await insertRow(this.#options.store, row)
    return row.kid
  }

  async #newRow(alg: SigningAlg, createdAt: Date, activatesAt: Date): Promise<SigningKeyRow> {
    const material = await generateKeyMaterial(alg)
    return {
      kid: material.kid,
      alg,
      public_jwk: JSON.stringify(material.publicJwk),
      private_key: seal(this.#sealingKey, material.kid, JSON.stringify(material.privateJwk)),
      created_at: createdAt.toISOString(),
      activates_at: activatesAt.toISOString(),
    }
  }

  async #open(row: SigningKeyRow): Promise<CryptoKey | undefined> {
    const text = unseal(this.#sealingKey, row.kid, row.private_key)
    if (text === undefined) return undefined
    try {
      return await importSigningKey(JSON.parse(text) as JWK, row.alg)
    } catch {
      return undefined
    }
  }
}

function recordOf(row: SigningKeyRow): KeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    createdAt: new Date(row.created_at),
    activatesAt: new Date(row.activates_at),
  }
}

export function decryptionError(kids: readonly string[]): KeylessError {
  return new KeylessError(
    'key_decryption_failed',
    `the signing key${kids.length === 1 ? '' : 's'} ${kids.join(', ')} in the database cannot be ` +
      'decrypted with this master key (KEYLESS_MASTER_KEY or <data-dir>/master.key). Start with the ' +
      'master key the keys were created with; keyless does not make new keys in their place, since ' +
      'that would break every trust relationship with the current ones.',
    { kids },
  )
}
