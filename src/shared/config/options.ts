import { join } from 'node:path'
import { omit, prefixed } from './compose.js'
import { parsers, type OptionSpec } from './option.js'

/**
 * Option tables, one per command. Add an option here and it is parsed, validated and documented
 * (docs/configuration.md is generated from these tables).
 */

function opt<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec
}

/**
 * Running servers read the key table again at least this often (src/idp/provider.ts), so a key
 * added by any process is in every replica's JWKS after this long: the shortest pre-publication
 * window.
 */
export const KEY_PICKUP_SECONDS = 10

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/** True for loopback host names and addresses (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(hostname)
}

export const commonOptions = {
  dataDir: opt({
    flag: '--data-dir',
    env: 'KEYLESS_DATA_DIR',
    description: 'Data directory: SQLite database, master key, bootstrap admin key.',
    default: './.keyless',
    parse: parsers.nonEmpty,
  }),
  logLevel: opt({
    flag: '--log-level',
    env: 'KEYLESS_LOG_LEVEL',
    description: 'Log level: fatal, error, warn, info, debug, trace, silent.',
    default: 'info',
    parse: parsers.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  }),
}

export const serverOptions = {
  ...commonOptions,
  port: opt({
    flag: '--port',
    env: 'KEYLESS_PORT',
    description: 'Port of the control plane (REST API, agent API, OIDC endpoints, console).',
    default: 8080,
    parse: parsers.port,
  }),
  host: opt({
    flag: '--host',
    env: 'KEYLESS_HOST',
    description: 'Address the control plane listens on.',
    default: '127.0.0.1',
    parse: parsers.nonEmpty,
  }),
  issuerUrl: opt({
    flag: '--issuer-url',
    env: 'KEYLESS_ISSUER_URL',
    description:
      'OIDC issuer URL, exactly as it will appear in `iss` (https, or http on a loopback address). AWS matches it byte for byte, trailing slash included.',
    default: (p: Readonly<Record<string, unknown>>) =>
      `http://${String(p['host'] === '0.0.0.0' ? '127.0.0.1' : p['host'])}:${String(p['port'])}`,
    defaultText: 'http://<host>:<port>',
    parse: (raw: string) => {
      const u = new URL(parsers.url(raw))
      if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname))
        throw new Error('must be https:// unless the host is a loopback address')
      if (u.search !== '' || u.hash !== '') throw new Error('must not have a query or fragment')
      return raw
    },
  }),
  database: opt({
    flag: '--database',
    arg: 'url|file',
    env: 'KEYLESS_DATABASE_URL',
    description: 'Database: a `postgres://` URL for PostgreSQL, or a SQLite file path.',
    defaultText: '<data-dir>/keyless.db',
    parse: parsers.nonEmpty,
  }),
  masterKey: opt({
    flag: '--master-key',
    env: 'KEYLESS_MASTER_KEY',
    description:
      'Master key (32 bytes, base64 or hex) that encrypts signing keys at rest. Default: `<data-dir>/master.key`, created 0600 on first start.',
    parse: parsers.nonEmpty,
    secret: true,
  }),
  adminKey: opt({
    flag: '--admin-key',
    env: 'KEYLESS_ADMIN_KEY',
    description: 'Preset the bootstrap (owner) API key on first start instead of generating one.',
    parse: parsers.nonEmpty,
    secret: true,
  }),
  publishIssuer: opt({
    flag: '--publish-issuer',
    arg: 'target',
    env: 'KEYLESS_PUBLISH_ISSUER',
    description:
      'Keep a static copy of the issuer (discovery document + JWKS) in a directory or at `s3://bucket/prefix`, republished on every change of the key set; a new key signs only once the copy holds it. `--issuer-url` must name where that copy is served.',
    parse: parsers.nonEmpty,
  }),
  s3EndpointUrl: opt({
    flag: '--s3-endpoint-url',
    arg: 'url',
    env: 'KEYLESS_S3_ENDPOINT_URL',
    description:
      'An S3-compatible endpoint for `s3://` issuer publication (path-style addressing). Credentials come from the AWS SDK chain.',
    parse: parsers.url,
  }),
  s3Region: opt({
    flag: '--s3-region',
    arg: 'region',
    env: 'KEYLESS_S3_REGION',
    description: 'Region of the bucket for `s3://` issuer publication.',
    default: 'us-east-1',
    parse: parsers.nonEmpty,
  }),
  metricsToken: opt({
    flag: '--metrics-token',
    env: 'KEYLESS_METRICS_TOKEN',
    description:
      'Bearer token `GET /metrics` asks for. Without it `/metrics` answers loopback clients only (403 otherwise); a reverse proxy on the same host must then not pass `/metrics` on.',
    parse: parsers.nonEmpty,
    secret: true,
  }),
  adminEmail: opt({
    flag: '--admin-email',
    env: 'KEYLESS_ADMIN_EMAIL',
    description: 'Email of the bootstrap owner key (becomes `deployerEmail` of its deployments).',
    default: 'admin@localhost',
    parse: parsers.nonEmpty,
  }),
  signingAlg: opt({
    flag: '--signing-alg',
    env: 'KEYLESS_SIGNING_ALG',
    description: 'Algorithm of new signing keys: RS256 (RSA-2048) or ES256 (P-256).',
    default: 'RS256',
    parse: parsers.oneOf('RS256', 'ES256'),
  }),
  tokenTtlSeconds: opt({
    flag: '--token-ttl',
    arg: 'seconds',
    env: 'KEYLESS_TOKEN_TTL',
    description: 'Lifetime of a deployment OIDC token, in seconds.',
    default: 600,
    parse: parsers.int(60, 3600),
  }),
  leaseSeconds: opt({
    flag: '--lease-seconds',
    env: 'KEYLESS_LEASE_SECONDS',
    description:
      'Lease an agent gets on a claimed deployment; renewed by heartbeats. A lease that runs out before the deployment started requeues it, one that runs out after fails it (`agent lost`). Tests use a few seconds.',
    default: 60,
    parse: parsers.int(1, 3600),
  }),
  claimRecheckMs: opt({
    flag: '--claim-recheck-ms',
    arg: 'ms',
    env: 'KEYLESS_CLAIM_RECHECK_MS',
    description:
      'A claim waiting for a deployment (long poll) looks at the queue at least this often, in milliseconds, even when nothing woke it. A deployment made claimable wakes the claims of every replica at once (on PostgreSQL through LISTEN/NOTIFY), so this only bounds a wake-up that was missed.',
    default: 1000,
    parse: parsers.int(50, 600_000),
  }),
  stateMaxBytes: opt({
    flag: '--state-max-bytes',
    env: 'KEYLESS_STATE_MAX_BYTES',
    description:
      'Largest Terraform/OpenTofu state the state backend accepts, in bytes; a bigger one gets 413 `state_too_large`.',
    default: 64 * 1024 * 1024,
    parse: parsers.int(1024, 1024 * 1024 * 1024),
  }),
  keyPrepublishSeconds: opt({
    flag: '--key-prepublish',
    arg: 'seconds',
    env: 'KEYLESS_KEY_PREPUBLISH',
    description: `Seconds a rotated-in key is published in the JWKS before it signs; at least ${KEY_PICKUP_SECONDS}, the time every replica takes to pick a new key up, so that none signs with it before all of them publish it.`,
    default: 3600,
    parse: parsers.int(KEY_PICKUP_SECONDS, 7 * 24 * 3600),
  }),
  drainSeconds: opt({
    flag: '--drain-seconds',
    arg: 'seconds',
    env: 'KEYLESS_DRAIN_SECONDS',
    description:
      'On SIGTERM/SIGINT the server stops accepting connections and waits this long for requests in flight to finish (long polls answer 204 and log streams end at once), then cuts the rest off and exits. 0 waits without limit.',
    default: 30,
    parse: parsers.int(0, 86_400),
  }),
}

export const emulatorOptions = {
  ...commonOptions,
  port: opt({
    flag: '--port',
    env: 'KEYLESS_EMULATOR_PORT',
    description: 'Port of the AWS emulator.',
    default: 4566,
    parse: parsers.port,
  }),
  host: opt({
    flag: '--host',
    env: 'KEYLESS_EMULATOR_HOST',
    description: 'Address the AWS emulator listens on.',
    default: '127.0.0.1',
    parse: parsers.nonEmpty,
  }),
  accountId: opt({
    flag: '--account-id',
    env: 'KEYLESS_EMULATOR_ACCOUNT_ID',
    description: 'The emulated AWS account id (12 digits).',
    default: '123456789012',
    parse: (raw: string) => {
      if (!/^\d{12}$/u.test(raw)) throw new Error('must be 12 digits')
      return raw
    },
  }),
  state: opt({
    flag: '--state',
    arg: 'memory|file',
    env: 'KEYLESS_EMULATOR_STATE',
    description:
      '`memory`, or a SQLite file that keeps providers, roles, sessions and the Entra directory across restarts.',
    default: 'memory',
    parse: parsers.nonEmpty,
  }),
  seed: opt({
    flag: '--seed',
    arg: 'file',
    env: 'KEYLESS_EMULATOR_SEED',
    description: 'JSON file of providers and roles applied idempotently at start.',
    parse: parsers.nonEmpty,
  }),
  accessKeyId: opt({
    flag: '--access-key-id',
    env: 'KEYLESS_EMULATOR_ACCESS_KEY_ID',
    description: 'Admin access key id accepted for IAM calls.',
    default: 'test',
    parse: parsers.nonEmpty,
  }),
  secretAccessKey: opt({
    flag: '--secret-access-key',
    env: 'KEYLESS_EMULATOR_SECRET_ACCESS_KEY',
    description: 'Admin secret access key accepted for IAM calls.',
    default: 'test',
    parse: parsers.nonEmpty,
    secret: true,
  }),
  allowHttpIssuers: opt({
    flag: '--allow-http-issuers',
    switch: true,
    env: 'KEYLESS_EMULATOR_ALLOW_HTTP_ISSUERS',
    description:
      'Accept plain-http issuers on any host (loopback http issuers are always accepted).',
    default: false,
    parse: parsers.bool,
  }),
  caFile: opt({
    flag: '--ca-file',
    env: 'KEYLESS_EMULATOR_CA_FILE',
    description: 'PEM bundle of extra CAs trusted for https issuers.',
    parse: parsers.nonEmpty,
  }),
  verifyThumbprints: opt({
    flag: '--verify-thumbprints',
    switch: true,
    env: 'KEYLESS_EMULATOR_VERIFY_THUMBPRINTS',
    description: "Check the JWKS host's certificate against the provider's thumbprint list.",
    default: false,
    parse: parsers.bool,
  }),
  verifyOn: opt<'auto' | 'main' | 'pool'>({
    flag: '--verify-on',
    arg: 'auto|main|pool',
    env: 'KEYLESS_EMULATOR_VERIFY_ON',
    description:
      'Where token signatures are checked: on the libuv threadpool (pool), on the main thread (main), or on the pool when the process may use more than one core (auto).',
    default: 'auto',
    parse: parsers.oneOf('auto', 'main', 'pool'),
  }),
  jwksTimeoutMs: opt({
    flag: '--jwks-timeout-ms',
    env: 'KEYLESS_EMULATOR_JWKS_TIMEOUT_MS',
    description: 'Timeout for fetching an issuer discovery document or JWKS.',
    default: 5000,
    parse: parsers.int(100, 60000),
  }),
  clouds: opt({
    flag: '--clouds',
    arg: 'list',
    env: 'KEYLESS_EMULATOR_CLOUDS',
    description:
      'Clouds to emulate, comma-separated (`aws`, `azure`, `gcp`); a cloud left out has no listener.',
    default: 'aws,azure,gcp',
    parse: (raw: string) => {
      const clouds = raw
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '')
      const unknown = clouds.filter((c) => c !== 'aws' && c !== 'azure' && c !== 'gcp')
      if (clouds.length === 0 || unknown.length > 0)
        throw new Error(
          `must list aws, azure and/or gcp${unknown.length > 0 ? ` (not ${unknown.join(', ')})` : ''}`,
        )
      return [...new Set(clouds)].join(',')
    },
  }),
  azurePort: opt({
    flag: '--azure-port',
    env: 'KEYLESS_EMULATOR_AZURE_PORT',
    description:
      'Port of the Entra ID emulator (https, certificate from `<data-dir>/emulator-ca.pem`).',
    default: 4567,
    parse: parsers.port,
  }),
  gcpPort: opt({
    flag: '--gcp-port',
    env: 'KEYLESS_EMULATOR_GCP_PORT',
    description:
      'Port of the Google emulator (plain http): STS, IAM workload identity pools and service accounts, IAM Credentials.',
    default: 4568,
    parse: parsers.port,
  }),
  azureTenantId: opt({
    flag: '--azure-tenant-id',
    env: 'KEYLESS_EMULATOR_AZURE_TENANT_ID',
    description: 'The one tenant of the Entra ID emulator (a GUID).',
    default: '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10',
    parse: (raw: string) => {
      if (
        !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u.test(raw)
      )
        throw new Error('must be a GUID')
      return raw.toLowerCase()
    },
  }),
  adminToken: opt({
    flag: '--admin-token',
    env: 'KEYLESS_EMULATOR_ADMIN_TOKEN',
    description:
      'Bearer token accepted for the management calls: Azure (Graph, ARM) and Google (IAM pools, providers, service accounts).',
    default: 'test',
    parse: parsers.nonEmpty,
    secret: true,
  }),
  requireHttpsIssuers: opt({
    flag: '--require-https-issuers',
    switch: true,
    env: 'KEYLESS_EMULATOR_REQUIRE_HTTPS_ISSUERS',
    description:
      'Azure and Google: refuse http issuers, loopback ones too, as Entra (AADSTS50166) and Google (400 at provider create) do.',
    default: false,
    parse: parsers.bool,
  }),
  clockSkewSeconds: opt({
    flag: '--clock-skew-seconds',
    env: 'KEYLESS_EMULATOR_CLOCK_SKEW_SECONDS',
    description:
      "Azure and Google: allowance on a token's `exp` and `nbf`/future `iat` (Entra and Google: none).",
    default: 0,
    parse: parsers.int(0, 3600),
  }),
  azurePropagationSeconds: opt({
    flag: '--azure-propagation-seconds',
    env: 'KEYLESS_EMULATOR_AZURE_PROPAGATION_SECONDS',
    description:
      'Azure: seconds before a new federated credential is seen by token requests (AADSTS70021 until then).',
    default: 0,
    parse: parsers.int(0, 3600),
  }),
}

/** The control plane's URL, for the client commands. */
const serverUrl = opt({
  flag: '--server',
  env: 'KEYLESS_SERVER_URL',
  description: 'URL of the control plane.',
  default: 'http://127.0.0.1:8080',
  parse: parsers.url,
})

export const agentOptions = {
  ...commonOptions,
  server: opt({
    flag: '--server',
    arg: 'urls',
    env: 'KEYLESS_SERVER_URL',
    description:
      "URL of the control plane, or its replicas' URLs comma-separated (`https://a,https://b`): the agent talks to the first and, when one stops answering or answers 503, moves on to the next (see docs/operations.md, Replicas).",
    default: ['http://127.0.0.1:8080'] as readonly string[],
    defaultText: 'http://127.0.0.1:8080',
    parse: parsers.urls,
  }),
  token: opt({
    flag: '--token',
    env: 'KEYLESS_AGENT_TOKEN',
    description: 'Agent token (from `POST /api/v1/organizations/{id}/agent-tokens`).',
    required: true,
    parse: parsers.nonEmpty,
    secret: true,
  }),
  workDir: opt({
    flag: '--work-dir',
    env: 'KEYLESS_AGENT_WORK_DIR',
    description: 'Directory where deployments run.',
    default: './.keyless/work',
    parse: parsers.nonEmpty,
  }),
  concurrency: opt({
    flag: '--concurrency',
    arg: 'n',
    env: 'KEYLESS_AGENT_CONCURRENCY',
    description: 'Deployments run at once by this agent.',
    default: 1,
    parse: parsers.int(1, 64),
  }),
  name: opt({
    flag: '--name',
    env: 'KEYLESS_AGENT_NAME',
    description: 'Name this agent reports when it claims (shown as `claimedBy`).',
    defaultText: '<host name>:<pid>',
    parse: parsers.nonEmpty,
  }),
  claimWaitSeconds: opt({
    flag: '--claim-wait',
    arg: 'seconds',
    env: 'KEYLESS_AGENT_CLAIM_WAIT',
    description: 'Seconds one claim long poll waits for a queued deployment.',
    default: 20,
    parse: parsers.int(0, 30),
  }),
  cancelGraceSeconds: opt({
    flag: '--cancel-grace',
    arg: 'seconds',
    env: 'KEYLESS_AGENT_CANCEL_GRACE',
    description:
      "Seconds between SIGTERM and SIGKILL to a step's process group on cancel or shutdown.",
    default: 10,
    parse: parsers.int(0, 600),
  }),
  cloudCaFile: opt({
    flag: '--cloud-ca-file',
    arg: 'file',
    env: 'KEYLESS_CLOUD_CA_FILE',
    description:
      "PEM file of extra CAs the runner trusts for its Azure and GCP token exchanges (a private authority's, or the Entra emulator's `<data-dir>/emulator-ca.pem`); steps get it with the system's roots as NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE and SSL_CERT_FILE when the authority is not the cloud's own. `keyless up` sets it to its Entra emulator's CA.",
    parse: parsers.nonEmpty,
  }),
  drainSeconds: opt({
    flag: '--drain-seconds',
    arg: 'seconds',
    env: 'KEYLESS_AGENT_DRAIN_SECONDS',
    description:
      'On SIGTERM/SIGINT the agent stops claiming and waits this long for running deployments to finish, then cancels the rest (they end failed, "the agent was stopped"); a deployment claimed but not started is handed back to the queue at once. 0 waits without limit.',
    default: 300,
    parse: parsers.int(0, 86_400),
  }),
}

export const clientOptions = {
  server: serverUrl,
  apiKey: opt({
    flag: '--api-key',
    env: 'KEYLESS_API_KEY',
    description:
      'API key for commands that call the control plane (`deploy`, `preflight`, `setup`).',
    parse: parsers.nonEmpty,
    secret: true,
  }),
}

/** What the emulator of `keyless up` takes: its own options, state kept in the data directory. */
const upEmulatorOptions = {
  ...omit(emulatorOptions, 'dataDir', 'logLevel'),
  host: opt({
    ...emulatorOptions.host,
    default: (p: Readonly<Record<string, unknown>>) => String(p['host']),
    defaultText: '<host>',
  }),
  state: opt({
    ...emulatorOptions.state,
    default: (p: Readonly<Record<string, unknown>>) => join(String(p['dataDir']), 'emulator.db'),
    defaultText: '<data-dir>/emulator.db',
  }),
}

/** What the embedded agent of `keyless up` takes; it polls the control plane it runs beside. */
const upAgentOptions = {
  ...omit(agentOptions, 'dataDir', 'logLevel', 'server'),
  token: opt({
    ...agentOptions.token,
    required: false,
    description: `${agentOptions.token.description} Default: the one an earlier \`--demo\` kept in \`<data-dir>/demo-agent.token\`; without one no agent starts.`,
  }),
  workDir: opt({
    ...agentOptions.workDir,
    default: (p: Readonly<Record<string, unknown>>) => join(String(p['dataDir']), 'work'),
    defaultText: '<data-dir>/work',
  }),
  concurrency: opt({ ...agentOptions.concurrency, default: 2 }),
  name: opt({ ...agentOptions.name, default: 'embedded', defaultText: 'embedded' }),
}

export const upParts = { emulator: upEmulatorOptions, agent: upAgentOptions }

/**
 * `keyless up`: the server's options, then the emulator's as `--emulator-*` and the embedded
 * agent's as `--agent-*`. It prints its own summary, so it logs less than `keyless server`.
 */
export const upOptions = {
  ...omit(serverOptions, 'drainSeconds'),
  logLevel: opt({ ...commonOptions.logLevel, default: 'warn' }),
  demo: opt({
    flag: '--demo',
    env: 'KEYLESS_DEMO',
    switch: true,
    description:
      'Seed a demo organization, role and environment, and run one deployment end to end.',
    default: false,
    parse: parsers.bool,
  }),
  ...prefixed('emulator', upEmulatorOptions),
  ...prefixed('agent', upAgentOptions),
}
