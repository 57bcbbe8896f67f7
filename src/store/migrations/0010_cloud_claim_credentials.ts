import type { Kysely, Migration } from 'kysely'

/**
 * The Azure and GCP credentials a deployment was claimed with (src/platform/queue.ts), beside the
 * AWS `credential_id` of 0001: the deployment page shows the credentials it ran with, not the
 * project's current ones. No foreign key, like `credential_id`: the deployment's history outlives
 * the credential's assignment and the credential itself.
 */
// The row type carries these columns (src/store/platform-tables.ts).

export const cloudClaimCredentials0010: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('deployments').addColumn('azure_credential_id', 'text').execute()
    await db.schema.alterTable('deployments').addColumn('gcp_credential_id', 'text').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('deployments').dropColumn('gcp_credential_id').execute()
    await db.schema.alterTable('deployments').dropColumn('azure_credential_id').execute()
  },
}
