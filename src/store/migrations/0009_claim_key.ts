import type { Kysely, Migration } from 'kysely'

/**
 * Idempotent claims (src/platform/queue.ts): the key an agent sent with the claim that handed it a
 * deployment, so that the same agent asking again with the same key while the deployment is still
 * `claimed` gets that deployment again instead of new work (its first answer was lost). Null once
 * the claim ends (requeued, started). Read only with `status = 'claimed'`, which the
 * `(status, lease_expires_at)` index of 0001 already narrows to the few claimed deployments.
 */
// The row type carries this column (src/store/platform-tables.ts).

export const claimKey0009: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('deployments').addColumn('claim_key', 'text').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('deployments').dropColumn('claim_key').execute()
  },
}
