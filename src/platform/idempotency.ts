/**
 * `Idempotency-Key` (docs/control-plane.md): the same key and the same request (method, path,
 * body) from the same principal within 24 hours answers the first result; the same key with a
 * different request is `idempotency_key_reused`. The row is inserted before the request runs, so
 * of two replicas racing with one key exactly one runs it (the primary key decides); the other
 * waits for its answer.
 */
import { createHash } from 'node:crypto'
import { KeylessError } from '../shared/errors.js'
import type { IdempotencyKeysTable } from '../store/migrations/0005_idempotency.js'
import { isUniqueViolation } from '../store/unique-violation.js'
import type { PlatformContext } from './context.js'
import type { Principal } from './principal.js'

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/** An `Idempotency-Key`: 1–255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/u

/**
 * A claim that has not answered within this is taken to be abandoned (its server died, or lost
 * its database before recording the answer): the next attempt with the key takes it over.
 */
export const IDEMPOTENCY_ABANDONED_MS = 10_000

/** What a request that may run holds: ids made under the key derive from it (`idempotentId`). */
export interface IdempotencyClaim {
  /** When the key was first claimed. */
  readonly origin: Date
  /** The same for every attempt with this principal and key. */
  readonly seed: string
  /** This attempt took over the claim of an earlier one that never answered. */
  readonly takenOver: boolean
}

export type IdempotencyStart =
  | { readonly kind: 'run'; readonly claim: IdempotencyClaim }
  | { readonly kind: 'replay'; readonly status: number; readonly body: string | null }
  | { readonly kind: 'running'; readonly since: string; readonly abandoned: boolean }

export interface IdempotencyRequest {
  readonly principal: Principal
  readonly key: string
  readonly method: string
  readonly path: string
  readonly body: unknown
}

function scopeOf(principal: Principal): { scope: string; organizationId: string | null } {
  switch (principal.kind) {
    case 'owner':
      return { scope: `owner:${principal.id}`, organizationId: null }
    case 'api-key':
      return { scope: `api-key:${principal.id}`, organizationId: principal.organizationId }
    case 'agent':
      return { scope: `agent:${principal.id}`, organizationId: principal.organizationId }
    case 'system':
      return { scope: 'system', organizationId: null }
  }
}

export function fingerprintOf(r: IdempotencyRequest): string {
  return createHash('sha256')
    .update(`${r.method} ${r.path}\n${JSON.stringify(r.body ?? null)}`)
    .digest('hex')
}

function seedOf(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('hex')
}

function reused(): KeylessError {
  return new KeylessError(
    'idempotency_key_reused',
    'this Idempotency-Key was used within 24 hours for a different request (method, path or body); use a new key',
  )
}

export function idempotencyService(ctx: PlatformContext) {
  const db = ctx.db

  async function read(scope: string, key: string) {
    return db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst()
  }

  /** How the request that holds the key stands, as its row says. */
  function settled(r: IdempotencyRequest, row: IdempotencyKeysTable | undefined): IdempotencyStart {
    if (row === undefined) return { kind: 'running', since: '', abandoned: false } // freed meanwhile: start again
    if (row.fingerprint !== fingerprintOf(r)) throw reused()
    if (row.status !== 0) return { kind: 'replay', status: row.status, body: row.response }
    const age = ctx.clock.now().getTime() - Date.parse(row.created_at)
    return { kind: 'running', since: row.created_at, abandoned: age >= IDEMPOTENCY_ABANDONED_MS }
  }

  return {
    /** Claims the key for this request, or says how the first request with it went. */
    async start(r: IdempotencyRequest): Promise<IdempotencyStart> {
      const { scope, organizationId } = scopeOf(r.principal)
      const fingerprint = fingerprintOf(r)
      const now = ctx.clock.now()
      const nowText = now.toISOString()
      // An expired key is free again.
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', scope)
        .where('key', '=', r.key)
        .where('expires_at', '<=', nowText)
        .execute()
      try {
        await db
          .insertInto('idempotency_keys')
          .values({
            scope,
            key: r.key,
            organization_id: organizationId,
            fingerprint,
            status: 0,
            response: null,
            created_at: nowText,
            expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
          })
          .execute()
        return { kind: 'run', claim: { origin: now, seed: seedOf(scope, r.key), takenOver: false } }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
      }
      return settled(r, await read(scope, r.key))
    },

    /**
     * Takes over a claim `start` said was abandoned, unless another attempt took it over or it
     * answered since (`since` is the claim's time as `start` saw it).
     */
    async takeOver(r: IdempotencyRequest, since: string): Promise<IdempotencyStart> {
      const { scope } = scopeOf(r.principal)
      const nowText = ctx.clock.now().toISOString()
      const taken = await db
        .updateTable('idempotency_keys')
        .set({ created_at: nowText })
        .where('scope', '=', scope)
        .where('key', '=', r.key)
        .where('status', '=', 0)
        .where('created_at', '=', since)
        .where('fingerprint', '=', fingerprintOf(r))
        .executeTakeFirst()
      const row = await read(scope, r.key)
      if (Number(taken.numUpdatedRows) !== 1 || row === undefined) return settled(r, row)
      const origin = new Date(Date.parse(row.expires_at) - IDEMPOTENCY_TTL_MS)
      return { kind: 'run', claim: { origin, seed: seedOf(scope, r.key), takenOver: true } }
    },

    /** Records the first request's answer. */
    async finish(principal: Principal, key: string, status: number, body: string | null) {
      const { scope } = scopeOf(principal)
      await db
        .updateTable('idempotency_keys')
        .set({ status, response: body })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute()
    },

    /** Forgets the key after the first request failed, so a retry runs again. */
    async abandon(principal: Principal, key: string) {
      const { scope } = scopeOf(principal)
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('status', '=', 0)
        .execute()
    },
  }
}

export type IdempotencyService = ReturnType<typeof idempotencyService>
