/**
 * Starts the Entra ID emulator beside the AWS one (`keyless emulator`, `keyless up`): https on
 * `--azure-port`, its CA written to `<data-dir>/emulator-ca.pem` before the port listens, the
 * decision log shared with the AWS listener.
 */
import { resolve } from 'node:path'
import { buildAzureEmulator, type AzureEmulator } from '../emulator/azure/index.js'
import type { DecisionLog } from '../emulator/decisions.js'
import type { Collection } from '../emulator/state/types.js'
import { systemClock } from '../shared/clock.js'
import { listenOrConfigError, listeningUrl } from './listen.js'
import type { VerifyOn } from '../emulator/oidc/signature-checks.js'

export interface AzureListenerConfig {
  readonly host: string
  readonly azurePort: number
  readonly azureTenantId: string
  readonly adminToken: string
  readonly caFile?: string | undefined
  readonly jwksTimeoutMs: number
  readonly verifyOn: VerifyOn
  readonly requireHttpsIssuers: boolean
  readonly clockSkewSeconds: number
  readonly azurePropagationSeconds: number
}

export function cloudsOf(clouds: string): Set<string> {
  return new Set(clouds.split(','))
}

export async function startAzureListener(
  config: AzureListenerConfig,
  dataDir: string,
  decisions: DecisionLog,
  flag: string,
  store?: Collection<unknown>,
): Promise<{ app: AzureEmulator; url: string; caFile: string }> {
  const app = await buildAzureEmulator(
    {
      dataDir: resolve(dataDir),
      tenantId: config.azureTenantId,
      adminToken: config.adminToken,
      caFile: config.caFile,
      jwksTimeoutMs: config.jwksTimeoutMs,
      verifyOn: config.verifyOn,
      store,
      rules: {
        requireHttpsIssuers: config.requireHttpsIssuers,
        clockSkewSeconds: config.clockSkewSeconds,
        propagationSeconds: config.azurePropagationSeconds,
      },
    },
    { clock: systemClock, decisions },
  )
  await listenOrConfigError(app, config.host, config.azurePort, flag)
  return { app, url: listeningUrl(app, config.host, 'https'), caFile: app.azure.tls.caFile }
}
