/**
 * Test harness for the control plane: a real store (SQLite in memory by default), the real
 * identity provider, a frozen clock, and `inject()` helpers that carry a key.
 */
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { createIdentityProvider, type ManagedIdentityProvider } from '../../src/idp/index.js'
import type { Principal } from '../../src/platform/index.js'
import { buildServer, type KeylessServer, type ServerConfig } from '../../src/server/app.js'
import { ManualClock } from '../../src/shared/clock.js'
import { silentLogger, type Logger } from '../../src/shared/logger.js'
import { openStore, type Store } from '../../src/store/database.js'
import { processEnv } from '../../src/shared/config/load.js'
import { postgresFactory } from '../support/stores.js'

export const ISSUER = 'http://127.0.0.1:8080'
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy'

export interface Harness {
  readonly app: KeylessServer
  readonly store: Store
  readonly clock: ManualClock
  readonly idp: ManagedIdentityProvider
  /** The owner key (docs/architecture.md §9). */
  readonly ownerKey: string
  call(
    method: string,
    url: string,
    options?: {
      key?: string | null
      body?: unknown
      headers?: Record<string, string>
      payload?: string
    },
  ): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/**
 * The store the server suites run on: SQLite in memory, or PostgreSQL (a fresh schema, dropped
 * on close) with KEYLESS_TEST_SERVER_STORE=postgres.
 */
const serverStore =
  processEnv()['KEYLESS_TEST_SERVER_STORE'] === 'postgres' ? postgresFactory : undefined

export async function startHarness(
  options: { store?: Store; config?: ServerConfig; logger?: Logger } = {},
): Promise<Harness> {
  const store =
    options.store ??
    (serverStore === undefined ? await openStore({ url: ':memory:' }) : await serverStore.open())
  const clock = new ManualClock()
  const logger = options.logger ?? silentLogger()
  const masterKey = randomBytes(32)
  const idp = await createIdentityProvider({
    issuerUrl: ISSUER,
    store,
    masterKey,
    clock,
    logger,
    signingAlg: 'ES256',
    tokenTtlSeconds: 600,
    keyPrepublishSeconds: 3600,
  })
  const app = await buildServer(
    { webRoot: null, sweepIntervalMs: 0, leaseSeconds: 60, ...options.config },
    { store, idp, clock, logger, masterKey },
  )
  const boot = await app.platform.bootstrapOwner({ email: 'owner@example.com' })
  const ownerKey = boot.key!
  return {
    app,
    store,
    clock,
    idp,
    ownerKey,
    call(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers }
      const key = o.key === undefined ? ownerKey : o.key
      if (key !== null) headers['authorization'] = `Bearer ${key}`
      const payload = o.payload ?? (o.body === undefined ? undefined : JSON.stringify(o.body))
      if (payload !== undefined && headers['content-type'] === undefined)
        headers['content-type'] = 'application/json'
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      })
    },
    async close() {
      await app.close()
      await idp.close()
      if (options.store === undefined) await store.close()
    },
  }
}

export const ownerPrincipal: Principal = { kind: 'system' }

/** Creates an organization with a project, a custom template, an environment and a credential. */
export async function seed(h: Harness, name = 'acme') {
  const org = (await h.call('POST', '/api/v1/organizations', { body: { name } })).json()
  const project = (
    await h.call('POST', `/api/v1/organizations/${org.id}/projects`, { body: { name: 'web' } })
  ).json()
  const template = (
    await h.call('POST', `/api/v1/organizations/${org.id}/templates`, {
      body: { name: 'hello', type: 'custom', steps: [{ name: 'say', run: 'echo hi' }] },
    })
  ).json()
  const environment = (
    await h.call('POST', `/api/v1/projects/${project.id}/environments`, {
      body: { name: 'prod', templateId: template.id },
    })
  ).json()
  const credential = (
    await h.call('POST', `/api/v1/organizations/${org.id}/credentials`, {
      body: { name: 'aws', roleArn: ROLE_ARN },
    })
  ).json()
  await h.call('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
  const keyOf = async (role: string) =>
    (
      await h.call('POST', `/api/v1/organizations/${org.id}/api-keys`, {
        body: { role, email: `${role}@${name}.example` },
      })
    ).json().key as string
  const admin = await keyOf('admin')
  const deployer = await keyOf('deployer')
  const viewer = await keyOf('viewer')
  const agent = (
    await h.call('POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
      body: { name: 'agent-1' },
    })
  ).json().token as string
  return {
    org,
    project,
    template,
    environment,
    credential,
    keys: { admin, deployer, viewer, agent },
  }
}
