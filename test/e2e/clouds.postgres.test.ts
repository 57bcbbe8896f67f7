/** The cloud deployment suite on PostgreSQL (a database of its own, see postgres-suite.ts). */
import { cloudSuite } from './support/cloud-suite.js'
import { onPostgres } from './support/postgres-suite.js'

await onPostgres('keyless_clouds', 'deployments with Azure and GCP', cloudSuite)
