/** The end-to-end deployment suite on PostgreSQL (a database of its own, see postgres-suite.ts). */
import { onPostgres } from './support/postgres-suite.js'
import { deploymentSuite } from './support/suite.js'

await onPostgres('keyless_e2e', 'deployments end to end', deploymentSuite)
