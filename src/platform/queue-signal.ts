import { createHash } from 'node:crypto'
import { z } from 'zod'

/**
 * What one replica tells the others through PostgreSQL `NOTIFY` when a transaction made work
 * claimable in an organization (docs/operations.md, "Replicas"): the organization's id and the id
 * of the replica that sent it (which ignores its own: it already woke its claimers). No secret:
 * every session of the database may LISTEN.
 */
export interface QueueSignal {
  readonly organizationId: string
  readonly replicaId: string
}

const idText = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u)

/** The payload as sent: short keys, the text stays far below PostgreSQL's 8000-byte limit. */
const payloadSchema = z.strictObject({ o: idText, r: idText })

export function encodeQueueSignal(signal: QueueSignal): string {
  return JSON.stringify({ o: signal.organizationId, r: signal.replicaId })
}

/** The signal in a notification's payload, or undefined when it is not one (logged, ignored). */
export function parseQueueSignal(payload: string | undefined): QueueSignal | undefined {
  if (payload === undefined || payload.length > 512) return undefined
  let json: unknown
  try {
    json = JSON.parse(payload)
  } catch {
    return undefined
  }
  const parsed = payloadSchema.safeParse(json)
  return parsed.success ? { organizationId: parsed.data.o, replicaId: parsed.data.r } : undefined
}

/** Longest channel name PostgreSQL keeps (NAMEDATALEN - 1); a longer one is refused by NOTIFY. */
const CHANNEL_MAX = 63

/**
 * The channel of an installation: `keyless_queue`, or `keyless_queue_<schema>` when it lives in a
 * schema of its own (installations that share a database do not wake each other), shortened to a
 * digest of the schema when that would be too long.
 */
export function queueChannel(schema?: string): string {
  if (schema === undefined) return 'keyless_queue'
  const named = `keyless_queue_${schema}`
  if (named.length <= CHANNEL_MAX) return named
  return `keyless_queue_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`
}
