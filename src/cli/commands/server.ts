import type { Command } from 'commander'
import { loadConfig, serverOptions } from '../../shared/config/index.js'
import { startControlPlane } from '../control-plane.js'

interface ServerFlags {
  readonly port?: string
  readonly host?: string
  readonly issuerUrl?: string
  readonly database?: string
  readonly dataDir?: string
  readonly logLevel?: string
  readonly adminEmail?: string
  readonly signingAlg?: string
  readonly tokenTtl?: string
  readonly keyPrepublish?: string
}

/** `keyless server`: the control plane only (production; replicas may share one PostgreSQL). */
export function register(program: Command): void {
  program
    .command('server')
    .description('Run the control plane: REST API, agent API, OIDC issuer, web console')
    .option('--port <port>', 'port (default 8080; 0 = any free port)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option(
      '--issuer-url <url>',
      'OIDC issuer URL, exactly as in `iss` (default http://<host>:<port>)',
    )
    .option('--database <url>', 'postgres:// URL or SQLite file (default <data-dir>/keyless.db)')
    .option('--data-dir <dir>', 'data directory (default ./.keyless)')
    .option('--log-level <level>', 'log level (default info)')
    .option('--admin-email <email>', 'email of the bootstrap owner key (default admin@localhost)')
    .option('--signing-alg <alg>', 'RS256 or ES256 for new signing keys (default RS256)')
    .option('--token-ttl <seconds>', 'deployment token lifetime (default 600)')
    .option('--key-prepublish <seconds>', 'pre-publication window of rotated keys (default 3600)')
    .action((flags: ServerFlags) => run(flags))
}

async function run(flags: ServerFlags): Promise<void> {
  const { tokenTtl, keyPrepublish, ...rest } = flags
  const config = loadConfig(serverOptions, {
    flags: { ...rest, tokenTtlSeconds: tokenTtl, keyPrepublishSeconds: keyPrepublish },
  })
  const plane = await startControlPlane(config)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void plane.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
