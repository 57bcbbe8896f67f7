import { sql, type Kysely, type Migration } from 'kysely'

/** The unique index that keeps every organization's audience its own (docs/security.md). */
export const AUDIENCE_INDEX = { name: 'organizations_audience_unique', column: 'audience' } as const

/**
 * Audiences unique across the installation: a trust policy that pins `aud` then admits one
 * organization only. An installation where two organizations already share an audience cannot
 * be upgraded silently (either could be the one its trust policies mean): the migration stops
 * and names them, and an owner gives one of them its own audience first.
 */
export const tenantBoundary0003: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const shared = await sql<{ audience: string; ids: string }>`
      SELECT audience, COUNT(*) AS ids FROM organizations GROUP BY audience HAVING COUNT(*) > 1
    `.execute(db)
    if (shared.rows.length > 0)
      throw new Error(
        `migration 0003: organizations share an audience (${shared.rows
          .map((r) => JSON.stringify(r.audience))
          .join(
            ', ',
          )}); give each its own (PATCH /api/v1/organizations/{id} {"audience": …}) with the previous version, then upgrade`,
      )
    await db.schema
      .createIndex(AUDIENCE_INDEX.name)
      .on('organizations')
      .column(AUDIENCE_INDEX.column)
      .unique()
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex(AUDIENCE_INDEX.name).execute()
  },
}
