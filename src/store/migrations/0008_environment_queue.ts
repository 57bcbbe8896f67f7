import type { Kysely, Migration } from 'kysely'

/**
 * The queue of one environment (src/platform/queue-order.ts: one deployment at a time per
 * environment, `waitingFor`, the claim's eligibility) is read by environment and status, oldest
 * first; without this index each of those reads scanned every deployment of the installation, so
 * creating or claiming a deployment cost more the more deployments there were.
 */
export const environmentQueue0008: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('deployments_environment_queue')
      .on('deployments')
      .columns(['environment_id', 'status', 'created_at', 'id'])
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('deployments_environment_queue').execute()
  },
}
