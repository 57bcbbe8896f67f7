import { createHash, randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { Kysely, Transaction } from 'kysely'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import type { Logger } from '../shared/logger.js'
import type { Store } from '../store/database.js'
import type { Database } from '../store/schema.js'

export interface PlatformOptions {
  /** Seconds a claim's lease lasts without a heartbeat (default 60). */
  readonly leaseSeconds?: number
  /** Email of the installation owner key (docs/architecture.md §9; default `admin@localhost`). */
  readonly ownerEmail?: string
  /**
   * Key that seals Terraform state at rest (derived from the master key, see state/seal.ts).
   * Without one, a random key lives as long as the process: state then does not survive a restart.
   */
  readonly stateKey?: Buffer
  /** Largest state accepted, bytes (default 64 MiB). */
  readonly stateMaxBytes?: number
  /**
   * A waiting claim looks at the queue at least this often, ms, even when nothing woke it
   * (default 1000): the bound on a wake-up missed (docs/operations.md, "Replicas").
   */
  readonly claimRecheckMs?: number
}

export const DEFAULT_STATE_MAX_BYTES = 64 * 1024 * 1024
export const DEFAULT_CLAIM_RECHECK_MS = 1000

/**
 * Events other parts (SSE, long polls) wait on. Local to the process; on PostgreSQL `queued` also
 * comes from the other replicas (src/server/queue-relay.ts), and replicas poll besides.
 */
export interface PlatformEvents {
  /** A deployment changed (status, steps, lease) or got log lines. */
  deployment: [deploymentId: string]
  /** A deployment was queued (or requeued) in an organization. */
  queued: [organizationId: string]
  /** A lease ran out: the deployment was requeued (no step had started) or failed `agent lost`. */
  leaseExpired: [deploymentId: string, outcome: 'requeued' | 'agent_lost']
  /** Wake-ups may have been missed (the replicas' channel was down): every claim looks again. */
  queueRecheck: []
}

/** What every service shares: the store, the clock, the event bus and the options. */
export interface PlatformContext {
  readonly store: Store
  readonly db: Kysely<Database>
  readonly clock: Clock
  readonly logger: Logger | undefined
  readonly events: EventEmitter<PlatformEvents>
  readonly leaseSeconds: number
  readonly ownerEmail: string
  readonly stateKey: Buffer
  readonly stateMaxBytes: number
  readonly claimRecheckMs: number
  /** This process among the replicas: it ignores its own notifications (queue-signal.ts). */
  readonly replicaId: string
  /** Current time as stored (ISO-8601 UTC). */
  now(): string
}

export type Tx = Transaction<Database> | Kysely<Database>

export function createContext(
  store: Store,
  clock: Clock,
  logger: Logger | undefined,
  options: PlatformOptions = {},
): PlatformContext {
  const events = new EventEmitter<PlatformEvents>()
  events.setMaxListeners(0)
  return {
    store,
    db: store.db,
    clock,
    logger,
    events,
    leaseSeconds: options.leaseSeconds ?? 60,
    ownerEmail: options.ownerEmail ?? 'admin@localhost',
    stateKey: options.stateKey ?? randomBytes(32),
    stateMaxBytes: options.stateMaxBytes ?? DEFAULT_STATE_MAX_BYTES,
    claimRecheckMs: options.claimRecheckMs ?? DEFAULT_CLAIM_RECHECK_MS,
    replicaId: newId('rpl'),
    now: () => clock.now().toISOString(),
  }
}

/** Runs `fn` in one transaction: every multi-row change goes through here. */
export function inTransaction<T>(
  ctx: PlatformContext,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute(fn)
}

let counter = 0

/**
 * An id that sorts by creation time within one process (time, then a counter, then randomness),
 * so that queues and the audit log keep their order even under a frozen clock.
 */
export function sortableId(prefix: string, clock: Clock): string {
  counter = (counter + 1) % 36 ** 4
  const time = clock.now().getTime().toString(36).padStart(9, '0')
  const random = newId('x').slice(2, 10)
  return `${prefix}_${time}${counter.toString(36).padStart(4, '0')}${random}`
}

/**
 * The id a create under an Idempotency-Key gives its resource: the same for every attempt made
 * with that key (src/platform/idempotency.ts), so an attempt that takes over the key of one whose
 * server died finds what that one made, or makes it under the same id — never a second one.
 * Sorts by the time the key was first claimed, like `sortableId`.
 */
export function idempotentId(prefix: string, claim: { origin: Date; seed: string }): string {
  const time = claim.origin.getTime().toString(36).padStart(9, '0')
  const digest = createHash('sha256').update(`${prefix}\n${claim.seed}`).digest()
  let rest = ''
  for (const b of digest.subarray(0, 12)) rest += '0123456789abcdefghijklmnopqrstuvwxyz'[b % 36]
  return `${prefix}_${time}${rest}`
}
