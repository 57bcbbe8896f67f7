import type { Kysely, Migration } from 'kysely'

/**
 * `Idempotency-Key` on the REST API's POST routes (docs/control-plane.md): one row per principal
 * and key, inserted before the request runs (the primary key lets only one replica run it), then
 * completed with the answer; a row past `expires_at` (24 h) counts as absent.
 */
export interface IdempotencyKeysTable {
  /** Who sent it: `owner:<id>` or `api-key:<id>`; keys of different principals never meet. */
  scope: string
  key: string
  /** The organization of an API key's principal (null for the owner key). */
  organization_id: string | null
  /** SHA-256 (hex) of method, path and body. */
  fingerprint: string
  /** 0 while the first request runs, then the status it answered. */
  status: number
  /** The answer's JSON body (null while running or for a 204). */
  response: string | null
  created_at: string
  expires_at: string
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable
}

export const idempotency0005: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
      .execute()
    await db.schema
      .createIndex('idempotency_keys_expires')
      .on('idempotency_keys')
      .column('expires_at')
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('idempotency_keys').execute()
  },
}
