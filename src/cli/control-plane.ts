import { mkdir, writeFile, chmod } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { IssuerPublisher, publicationTarget } from '../idp/publication/index.js'
import {
  createIdentityProvider,
  loadMasterKey,
  type ManagedIdentityProvider,
} from '../idp/index.js'
import type { Platform } from '../platform/index.js'
import { buildServer, type KeylessServer } from '../server/app.js'
import { systemClock, type Clock } from '../shared/clock.js'
import type { ConfigOf } from '../shared/config/index.js'
import type { serverOptions } from '../shared/config/options.js'
import { KeylessError } from '../shared/errors.js'
import { createLogger, type Logger } from '../shared/logger.js'
import { openStore, type Store } from '../store/database.js'
import { listeningUrl } from './listen.js'
import { markServer } from '../store/server-lock.js'

/** What the control plane takes; the drain time is the command's business (`keyless server`). */
export type ServerSettings = Omit<ConfigOf<typeof serverOptions>, 'drainSeconds'>

export interface ControlPlaneDeps {
  readonly clock?: Clock
  readonly logger?: Logger
  /** An already open store (the caller closes it). */
  readonly store?: Store
  /** Where the startup lines go (default stdout); null prints nothing. */
  readonly out?: NodeJS.WritableStream | null
  /** Web console directory (default `dist/web`); null disables it. */
  readonly webRoot?: string | null
}

export interface ControlPlane {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  readonly issuer: string
  /** The bootstrap owner key file, when this start created the key. */
  readonly adminKeyFile: string | null
  /** The owner key, only when this start generated it (printed once; a key given is never echoed). */
  readonly adminKey: string | null
  readonly app: KeylessServer
  readonly platform: Platform
  readonly store: Store
  readonly idp: ManagedIdentityProvider
  close(): Promise<void>
}

/**
 * `--publish-issuer`: the static copy is written before the server listens (a start that cannot
 * publish fails), then kept up to date.
 */
async function startPublisher(
  settings: ServerSettings,
  idp: ManagedIdentityProvider,
  logger: Logger,
): Promise<IssuerPublisher | undefined> {
  if (settings.publishIssuer === undefined) return undefined
  const target = publicationTarget(settings.publishIssuer, {
    region: settings.s3Region,
    ...(settings.s3EndpointUrl === undefined ? {} : { endpointUrl: settings.s3EndpointUrl }),
  })
  const publisher = new IssuerPublisher({ idp, target, logger })
  try {
    await publisher.publishNow()
  } catch (error) {
    throw new KeylessError(
      'upstream_unreachable',
      `cannot publish the issuer to ${target.name}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  publisher.start()
  return publisher
}

/** A free loopback port, for `--port 0` with the default issuer (which names the port). */
async function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolvePort(port))
    })
  })
}

/**
 * Starts the control plane in this process (`keyless server`, and `keyless up` reuses it): opens
 * the store (PostgreSQL from `--database`, else SQLite `<data-dir>/keyless.db`), loads the master
 * key and the identity provider, creates the owner key on an empty store (written to
 * `<data-dir>/admin.key`, 0600, and printed once), and listens.
 */
export async function startControlPlane(
  settings: ServerSettings,
  deps: ControlPlaneDeps = {},
): Promise<ControlPlane> {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? createLogger({ level: settings.logLevel, name: 'keyless' })
  const out = deps.out === undefined ? process.stdout : deps.out
  const dataDir = resolve(settings.dataDir)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })

  let port = settings.port
  let issuerUrl = settings.issuerUrl
  if (port === 0 && /:0\/?$/u.test(issuerUrl)) {
    port = await freePort(settings.host)
    issuerUrl = issuerUrl.replace(/:0(\/?)$/u, `:${port}$1`)
  }

  const store =
    deps.store ??
    (await openStore({
      url: settings.database ?? join(dataDir, 'keyless.db'),
      onConnectionError: (error) =>
        logger.warn({ err: error.message }, 'a database connection was lost; reconnecting'),
    }))
  const cleanup: Array<() => Promise<void>> = deps.store === undefined ? [() => store.close()] : []
  if (deps.store === undefined && store.dialect === 'sqlite' && store.location !== ':memory:') {
    // `keyless restore` refuses to swap the file while this mark names a live process.
    const unmark = markServer(store.location)
    cleanup.unshift(() => Promise.resolve(unmark()))
  }
  const closeAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
  }
  try {
    const masterKey = await loadMasterKey({ dataDir, masterKey: settings.masterKey })
    const idp = await createIdentityProvider({
      issuerUrl,
      store,
      masterKey,
      clock,
      logger,
      signingAlg: settings.signingAlg === 'ES256' ? 'ES256' : 'RS256',
      tokenTtlSeconds: settings.tokenTtlSeconds,
      keyPrepublishSeconds: settings.keyPrepublishSeconds,
      ...(settings.publishIssuer === undefined
        ? {}
        : { signingGate: (kid: string) => publisher?.allows(kid) === true }),
    })
    cleanup.push(() => idp.close())
    const publisher = await startPublisher(settings, idp, logger)
    if (publisher !== undefined) cleanup.push(() => publisher.stop())
    const app = await buildServer(
      {
        adminEmail: settings.adminEmail,
        leaseSeconds: settings.leaseSeconds,
        stateMaxBytes: settings.stateMaxBytes,
        claimRecheckMs: settings.claimRecheckMs,
        ...(settings.metricsToken === undefined ? {} : { metricsToken: settings.metricsToken }),
        ...(deps.webRoot === undefined ? {} : { webRoot: deps.webRoot }),
      },
      { store, idp, clock, logger, masterKey },
    )
    cleanup.push(() => app.close())
    const boot = await app.platform.bootstrapOwner({
      key: settings.adminKey,
      email: settings.adminEmail,
    })
    if (!boot.created && settings.adminKey !== undefined)
      logger.warn(
        'KEYLESS_ADMIN_KEY is set but the store already has an owner key; it was left unchanged',
      )
    let adminKeyFile: string | null = null
    if (boot.created && boot.key !== null) {
      adminKeyFile = join(dataDir, 'admin.key')
      await writeFile(adminKeyFile, `${boot.key}\n`, { mode: 0o600 })
      await chmod(adminKeyFile, 0o600)
    }
    try {
      await app.listen({ port, host: settings.host })
    } catch (error) {
      throw new KeylessError(
        'config_invalid',
        `cannot listen on ${settings.host}:${port}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    const url = listeningUrl(app, settings.host)
    if (out !== null) {
      const lines = [
        `keyless control plane listening on ${url}`,
        `  console + API: ${url}/  (OpenAPI: ${url}/api/v1/openapi.json)`,
        `  OIDC issuer:   ${idp.issuer}`,
        `  database:      ${store.location}`,
      ]
      // A key the operator chose (KEYLESS_ADMIN_KEY) is never echoed: it would sit in their logs.
      if (boot.created && boot.key !== null && settings.adminKey !== undefined)
        lines.push(`  owner API key: the one given in KEYLESS_ADMIN_KEY`)
      else if (boot.created && boot.key !== null)
        lines.push(
          `  owner API key (shown once, also in ${String(adminKeyFile)}):`,
          `    ${boot.key}`,
        )
      else lines.push(`  owner API key: created on first start (see ${join(dataDir, 'admin.key')})`)
      out.write(`${lines.join('\n')}\n`)
    }
    return {
      url,
      issuer: idp.issuer,
      adminKeyFile,
      adminKey: boot.created && settings.adminKey === undefined ? boot.key : null,
      app,
      platform: app.platform,
      store,
      idp,
      close: closeAll,
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}
