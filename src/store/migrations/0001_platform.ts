import type { Kysely, Migration } from 'kysely'

/**
 * The platform tables (docs/architecture.md §4): organizations, projects, templates, environments,
 * variables, deployment credentials and their project assignments, deployments with their log
 * lines, API keys, agent tokens and the audit log. Portable across SQLite and PostgreSQL: text ids,
 * ISO-8601 UTC text times, integer 0/1 booleans, JSON as text.
 */
export const platform0001: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema
    await s
      .createTable('organizations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('subject_template', 'text', (c) => c.notNull())
      .addColumn('previous_subject_template', 'text')
      .addColumn('minting_stopped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await s
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createIndex('projects_org')
      .on('projects')
      .columns(['organization_id', 'created_at', 'id'])
      .execute()

    await s
      .createTable('templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('repository_url', 'text')
      .addColumn('repository_ref', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createIndex('templates_org')
      .on('templates')
      .columns(['organization_id', 'created_at', 'id'])
      .execute()

    await s
      .createTable('environments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('project_id', 'text', (c) =>
        c.notNull().references('projects.id').onDelete('cascade'),
      )
      .addColumn('template_id', 'text', (c) => c.notNull().references('templates.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role_arn_override', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createIndex('environments_project')
      .on('environments')
      .columns(['project_id', 'created_at', 'id'])
      .execute()

    await s
      .createTable('variables')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('variables_scope_name', ['scope', 'scope_id', 'name'])
      .execute()

    await s
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('duration_seconds', 'integer', (c) => c.notNull())
      .addColumn('plan_role_arn', 'text')
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('sts_endpoint', 'text')
      .addColumn('session_tags', 'integer', (c) => c.notNull())
      .addColumn('refresh', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createIndex('credentials_org')
      .on('credentials')
      .columns(['organization_id', 'created_at', 'id'])
      .execute()

    // One AWS credential per project (a second assignment replaces the first).
    await s
      .createTable('credential_assignments')
      .addColumn('project_id', 'text', (c) =>
        c.primaryKey().references('projects.id').onDelete('cascade'),
      )
      .addColumn('credential_id', 'text', (c) =>
        c.notNull().references('credentials.id').onDelete('cascade'),
      )
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await s
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('environment_id', 'text', (c) =>
        c.notNull().references('environments.id').onDelete('cascade'),
      )
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('deployer_email', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('agent_name', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('credential_id', 'text')
      .addColumn('role_arn', 'text')
      .addColumn('role_source', 'text')
      .addColumn('assumed_role_arn', 'text')
      .addColumn('message', 'text')
      .addColumn('failure', 'text')
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('last_token_claims', 'text')
      .addColumn('log_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text')
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute()
    await s
      .createIndex('deployments_org')
      .on('deployments')
      .columns(['organization_id', 'created_at', 'id'])
      .execute()
    await s
      .createIndex('deployments_queue')
      .on('deployments')
      .columns(['organization_id', 'status', 'created_at'])
      .execute()
    await s
      .createIndex('deployments_lease')
      .on('deployments')
      .columns(['status', 'lease_expires_at'])
      .execute()

    await s
      .createTable('deployment_logs')
      .addColumn('deployment_id', 'text', (c) =>
        c.notNull().references('deployments.id').onDelete('cascade'),
      )
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('deployment_logs_pk', ['deployment_id', 'seq'])
      .execute()

    await s
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.references('organizations.id').onDelete('cascade'),
      )
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute()

    await s
      .createTable('agent_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text', (c) =>
        c.notNull().references('organizations.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute()

    await s
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organization_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_email', 'text')
      .addColumn('deployment_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await s
      .createIndex('audit_org')
      .on('audit_events')
      .columns(['organization_id', 'created_at', 'id'])
      .execute()
    await s.createIndex('audit_deployment').on('audit_events').column('deployment_id').execute()
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'audit_events',
      'agent_tokens',
      'api_keys',
      'deployment_logs',
      'deployments',
      'credential_assignments',
      'credentials',
      'variables',
      'environments',
      'templates',
      'projects',
      'organizations',
    ])
      await db.schema.dropTable(table).ifExists().execute()
  },
}
