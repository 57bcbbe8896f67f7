import { sql, type Kysely, type Migration } from 'kysely'

/**
 * More clouds (docs/azure.md, docs/gcp.md): a credential may carry its own subject template and
 * its cloud's settings (JSON: tenant and client of an Azure credential, pool and provider of a GCP
 * one) and, for those, the audience of their tokens; a project may have one credential per cloud, so an assignment names its cloud.
 */
// The row types carry these columns (src/store/platform-tables.ts).

export const clouds0007: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s.alterTable('credentials').addColumn('subject_template', 'text').execute()
    await s.alterTable('credentials').addColumn('settings', 'text').execute()
    await s.alterTable('credentials').addColumn('audience', 'text').execute()
    await s.createIndex('credentials_audience').on('credentials').column('audience').execute()
    await s
      .createTable('credential_assignments_v7')
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      .addColumn('cloud', 'text', (c) => c.notNull())
      .addColumn('credential_id', 'text', (c) =>
        c.notNull().references('credentials.id').onDelete('cascade'),
      )
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('credential_assignments_v7_pk', ['project_id', 'cloud'])
      .execute()
    await sql`insert into credential_assignments_v7 (project_id, cloud, credential_id, organization_id, created_at)
      select project_id, 'aws', credential_id, organization_id, created_at from credential_assignments`.execute(
      db,
    )
    await s.dropTable('credential_assignments').execute()
    await s.alterTable('credential_assignments_v7').renameTo('credential_assignments').execute()
    await s
      .createIndex('credential_assignments_credential')
      .on('credential_assignments')
      .column('credential_id')
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s.dropIndex('credential_assignments_credential').execute()
    await s
      .createTable('credential_assignments_v6')
      .addColumn('project_id', 'text', (c) =>
        c.primaryKey().references('projects.id').onDelete('cascade'),
      )
      .addColumn('credential_id', 'text', (c) =>
        c.notNull().references('credentials.id').onDelete('cascade'),
      )
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await sql`insert into credential_assignments_v6 (project_id, credential_id, organization_id, created_at)
      select project_id, credential_id, organization_id, created_at from credential_assignments where cloud = 'aws'`.execute(
      db,
    )
    await s.dropTable('credential_assignments').execute()
    await s.alterTable('credential_assignments_v6').renameTo('credential_assignments').execute()
    await s.dropIndex('credentials_audience').execute()
    await s.alterTable('credentials').dropColumn('audience').execute()
    await s.alterTable('credentials').dropColumn('settings').execute()
    await s.alterTable('credentials').dropColumn('subject_template').execute()
  },
}
