import type { Kysely, Migration } from 'kysely'

/**
 * State phases and approval (docs/state.md): a template says whose backend keeps its state
 * (`managed` by keyless, or the `template`'s own); an environment may require approval between
 * plan and apply; a deployment keeps its plan summary, the phase it is in and the approval decision.
 */
// The row types carry these columns (src/store/platform-tables.ts).

export const statePhases0006: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s
      .alterTable('templates')
      .addColumn('state_backend', 'text', (c) => c.notNull().defaultTo('managed'))
      .execute()
    await s
      .alterTable('environments')
      .addColumn('requires_approval', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await s.alterTable('deployments').addColumn('plan', 'text').execute()
    await s.alterTable('deployments').addColumn('run_phase', 'text').execute()
    await s.alterTable('deployments').addColumn('approval', 'text').execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s.alterTable('deployments').dropColumn('approval').execute()
    await s.alterTable('deployments').dropColumn('run_phase').execute()
    await s.alterTable('deployments').dropColumn('plan').execute()
    await s.alterTable('environments').dropColumn('requires_approval').execute()
    await s.alterTable('templates').dropColumn('state_backend').execute()
  },
}
