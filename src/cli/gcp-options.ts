/** What the Google tools (`setup gcp --apply`, `lint --cloud gcp`) need to call IAM. */
import { parsers, type OptionTable } from '../shared/config/index.js'

export const gcpAdminOptions = {
  adminToken: {
    flag: '--admin-token',
    env: 'KEYLESS_GCP_ADMIN_TOKEN',
    description:
      'bearer token of the IAM calls (the Google emulator: its admin token, default test)',
    parse: parsers.nonEmpty,
    secret: true,
  },
} satisfies OptionTable
