/**
 * What the test environment offers, and whether a missing service must fail (CI) or skip
 * (a developer machine without it). DESIGN §8: KEYLESS_REQUIRE_POSTGRES, KEYLESS_REQUIRE_BROWSER,
 * KEYLESS_REQUIRE_AWS_CLIENTS.
 */
import { processEnv } from '../../src/shared/config/load.js'

const env = processEnv()

export const POSTGRES_URL =
  env['KEYLESS_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export const requirePostgres = env['KEYLESS_REQUIRE_POSTGRES'] === '1'
export const requireBrowser = env['KEYLESS_REQUIRE_BROWSER'] === '1'
export const requireAwsClients = env['KEYLESS_REQUIRE_AWS_CLIENTS'] === '1'

/** The Debian AWS CLI and Python (with boto3) used by the real-client tests. */
export const AWS_CLI = env['KEYLESS_AWS_CLI'] ?? '/usr/bin/aws'
export const PYTHON = env['KEYLESS_PYTHON'] ?? '/usr/bin/python3'
