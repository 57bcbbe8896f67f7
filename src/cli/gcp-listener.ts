/**
 * Starts the Google emulator beside the others (`keyless emulator`, `keyless up`): plain http on
 * `--gcp-port` (STS, IAM, IAM Credentials by path), the decision log shared with the AWS
 * listener.
 */
import type { DecisionLog } from '../emulator/decisions.js'
import { buildGcpEmulator, type GcpEmulator } from '../emulator/gcp/index.js'
import type { Collection } from '../emulator/state/types.js'
import { systemClock } from '../shared/clock.js'
import { listenOrConfigError, listeningUrl } from './listen.js'
import type { VerifyOn } from '../emulator/oidc/signature-checks.js'

export interface GcpListenerConfig {
  readonly host: string
  readonly gcpPort: number
  readonly adminToken: string
  readonly caFile?: string | undefined
  readonly jwksTimeoutMs: number
  readonly verifyOn: VerifyOn
  readonly requireHttpsIssuers: boolean
  readonly allowHttpIssuers: boolean
  readonly clockSkewSeconds: number
}

export async function startGcpListener(
  config: GcpListenerConfig,
  decisions: DecisionLog,
  flag: string,
  store?: Collection<unknown>,
): Promise<{ app: GcpEmulator; url: string }> {
  const app = await buildGcpEmulator(
    {
      adminToken: config.adminToken,
      caFile: config.caFile,
      jwksTimeoutMs: config.jwksTimeoutMs,
      verifyOn: config.verifyOn,
      store,
      rules: {
        requireHttpsIssuers: config.requireHttpsIssuers,
        clockSkewSeconds: config.clockSkewSeconds,
      },
      providerRules: {
        requireHttpsIssuers: config.requireHttpsIssuers,
        allowHttpIssuers: config.allowHttpIssuers,
      },
    },
    { clock: systemClock, decisions },
  )
  await listenOrConfigError(app, config.host, config.gcpPort, flag)
  return { app, url: listeningUrl(app, config.host) }
}
