/**
 * What the test environment offers, and whether a missing service must fail (CI) or skip
 * (a developer machine without it): KEYLESS_REQUIRE_POSTGRES, KEYLESS_REQUIRE_BROWSER,
 * KEYLESS_REQUIRE_AWS_CLIENTS, KEYLESS_REQUIRE_AZURE_CLI, KEYLESS_REQUIRE_GCLOUD,
 * KEYLESS_REQUIRE_MOTO and KEYLESS_REQUIRE_TERRAFORM (.ci/run sets them; docs/contributing.md).
 */
import { processEnv } from '../../src/shared/config/load.js'

const env = processEnv()

export const POSTGRES_URL =
  env['KEYLESS_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

export const requirePostgres = env['KEYLESS_REQUIRE_POSTGRES'] === '1'
export const requireBrowser = env['KEYLESS_REQUIRE_BROWSER'] === '1'
export const requireAwsClients = env['KEYLESS_REQUIRE_AWS_CLIENTS'] === '1'
export const requireAzureCli = env['KEYLESS_REQUIRE_AZURE_CLI'] === '1'
export const requireGcloud = env['KEYLESS_REQUIRE_GCLOUD'] === '1'
export const requireMoto = env['KEYLESS_REQUIRE_MOTO'] === '1'
export const requireTerraform = env['KEYLESS_REQUIRE_TERRAFORM'] === '1'

/** The Debian AWS CLI and Python (with boto3) used by the real-client tests. */
export const AWS_CLI = env['KEYLESS_AWS_CLI'] ?? '/usr/bin/aws'
export const PYTHON = env['KEYLESS_PYTHON'] ?? '/usr/bin/python3'

/** The Debian Azure CLI, Google Cloud SDK, moto (an S3-compatible store) and Terraform. */
export const AZ_CLI = env['KEYLESS_AZ_CLI'] ?? '/usr/bin/az'
export const GCLOUD = env['KEYLESS_GCLOUD'] ?? '/usr/bin/gcloud'
export const MOTO_SERVER = env['KEYLESS_MOTO_SERVER'] ?? 'moto_server'
export const TERRAFORM = env['KEYLESS_TERRAFORM'] ?? '/usr/local/bin/terraform'
