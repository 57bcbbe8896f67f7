import type { Migration } from 'kysely'
import { platform0001 } from './0001_platform.js'
import { signingKeys0002 } from './0002_signing_keys.js'
import { tenantBoundary0003 } from './0003_tenant_boundary.js'
import { state0004 } from './0004_state.js'
import { idempotency0005 } from './0005_idempotency.js'
import { statePhases0006 } from './0006_state_phases.js'
import { clouds0007 } from './0007_clouds.js'
import { environmentQueue0008 } from './0008_environment_queue.js'
import { claimKey0009 } from './0009_claim_key.js'
import { cloudClaimCredentials0010 } from './0010_cloud_claim_credentials.js'

/**
 * Every migration, in order of its name. Migrations must work on both SQLite and PostgreSQL
 * (use portable types: text, integer, bigint; no dialect-only syntax unless branched on
 * `dialectOf(db)`). Never edit a migration that has landed; add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_platform': platform0001,
  '0002_signing_keys': signingKeys0002,
  '0003_tenant_boundary': tenantBoundary0003,
  '0004_state': state0004,
  '0005_idempotency': idempotency0005,
  '0006_state_phases': statePhases0006,
  '0007_clouds': clouds0007,
  '0008_environment_queue': environmentQueue0008,
  '0009_claim_key': claimKey0009,
  '0010_cloud_claim_credentials': cloudClaimCredentials0010,
}
