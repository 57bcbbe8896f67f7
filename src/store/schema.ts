/**
 * The Kysely database interface: one entry per table. Each table's row type is declared in the
 * migration's neighbour file of the part that owns it and merged here.
 *
 * Conventions (both dialects): ids are text; times are ISO-8601 UTC text (`2026-11-25T12:00:00.000Z`,
 * sortable); booleans are integers 0/1; JSON is text.
 */
import type { SigningKeyTables } from './migrations/0002_signing_keys.js'
import type { StateTables } from './migrations/0004_state.js'
import type { IdempotencyTables } from './migrations/0005_idempotency.js'
import type { PlatformTables } from './platform-tables.js'

// Tables are added by the parts that own them (platform, idp); see migrations/index.ts.

export interface Database
  extends PlatformTables, SigningKeyTables, StateTables, IdempotencyTables {}
