/**
 * `--admin-token` of the commands that serve several clouds (`lint`, `explain`): one flag, read
 * from the variable of the cloud the command runs for — `KEYLESS_AZURE_ADMIN_TOKEN` as
 * `setup azure` reads it (src/cli/entra-options.ts), `KEYLESS_GCP_ADMIN_TOKEN` as `setup gcp`
 * does (src/cli/gcp-options.ts) — so that a variable exported for setup works for lint too.
 */
import type { Command } from 'commander'
import { loadConfig } from '../shared/config/index.js'
import { entraOptions } from './entra-options.js'
import { gcpAdminOptions } from './gcp-options.js'

export const CLOUD_ADMIN_TOKEN_HELP =
  'bearer token of the cloud API calls — azure: Graph/ARM (env KEYLESS_AZURE_ADMIN_TOKEN), gcp: IAM (env KEYLESS_GCP_ADMIN_TOKEN); the emulators take test'

/** Adds `--admin-token <token>` (no commander default: the variable still applies). */
export function addCloudAdminToken(command: Command): void {
  command.option('--admin-token <token>', CLOUD_ADMIN_TOKEN_HELP)
}

/** The token for `cloud`: the flag, else that cloud's variable; none for aws. */
export function cloudAdminToken(cloud: string, flag: unknown): { adminToken?: string } {
  const flags = { adminToken: typeof flag === 'string' ? flag : undefined }
  const table = cloud === 'gcp' ? gcpAdminOptions : cloud === 'azure' ? entraOptions : undefined
  if (table === undefined) return {}
  const { adminToken } = loadConfig(table, { flags })
  return adminToken === undefined ? {} : { adminToken }
}
