import type { Kysely, Migration } from 'kysely'

/**
 * Terraform/OpenTofu state kept per environment (docs/state.md): every accepted write is a
 * version row (sealed and compressed); a locked environment has one lock row; a deployment that
 * may use the state backend has one secret row, valid only while the deployment runs (checked
 * against its status, so a finished deployment's secret stops working at once).
 */
export interface StateVersionsTable {
  environment_id: string
  organization_id: string
  /** The state's own `serial`, as served (a restore rewrites it to the next one). */
  serial: number
  lineage: string
  /** Bytes of the plaintext state. */
  size: number
  /** SHA-256 (hex) of the plaintext state. */
  sha256: string
  /** The deployment that wrote it; null for a restore by an API key. */
  deployment_id: string | null
  /** Who wrote it: the deployment's deployer, or the key that restored it. */
  created_by: string
  /** The serial it was restored from, when it is a restore. */
  restored_from: number | null
  /** `v1.<iv>.<tag>.<ciphertext>` (base64url): AES-256-GCM over the compressed state. */
  body: string
  created_at: string
}

export interface StateLocksTable {
  environment_id: string
  organization_id: string
  lock_id: string
  /** The LockInfo JSON as Terraform sent it. */
  info: string
  /** The deployment whose secret took the lock. */
  deployment_id: string
  created_at: string
}

export interface StateSecretsTable {
  deployment_id: string
  environment_id: string
  /** SHA-256 (hex) of the secret. */
  secret_hash: string
  created_at: string
}

export interface StateTables {
  state_versions: StateVersionsTable
  state_locks: StateLocksTable
  state_secrets: StateSecretsTable
}

export const state0004: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s
      .createTable('state_versions')
      .addColumn('environment_id', 'text', (c) =>
        c.notNull().references('environments.id').onDelete('cascade'),
      )
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('serial', 'integer', (c) => c.notNull())
      .addColumn('lineage', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('restored_from', 'integer')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('state_versions_pk', ['environment_id', 'serial'])
      .execute()
    await s
      .createTable('state_locks')
      .addColumn('environment_id', 'text', (c) =>
        c.primaryKey().references('environments.id').onDelete('cascade'),
      )
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('lock_id', 'text', (c) => c.notNull())
      .addColumn('info', 'text', (c) => c.notNull())
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createTable('state_secrets')
      .addColumn('deployment_id', 'text', (c) =>
        c.primaryKey().references('deployments.id').onDelete('cascade'),
      )
      .addColumn('environment_id', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('state_secrets').execute()
    await db.schema.dropTable('state_locks').execute()
    await db.schema.dropTable('state_versions').execute()
  },
}
