/**
 * Harness for the Entra emulator tests: the emulator on a random loopback https port (CA in a
 * temporary data directory), a loopback test issuer on the same manual clock, and helpers for
 * management calls (admin bearer) and token requests.
 */
import { mkdtempSync } from 'node:fs'
import { request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildAzureEmulator,
  type AzureEmulator,
  type AzureEmulatorConfig,
} from '../../../src/emulator/azure/index.js'
import { ManualClock } from '../../../src/shared/clock.js'
import { startTestIssuer, type TestIssuer } from '../../support/test-issuer.js'

export const TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
export const DEFAULT_AUDIENCE = 'api://AzureADTokenExchange'
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
export const ARM_SCOPE = 'https://management.azure.com/.default'

export interface HttpReply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read loosely in tests
  readonly json: any
}

export interface AzureHarness {
  readonly emulator: AzureEmulator
  readonly origin: string
  readonly port: number
  readonly clock: ManualClock
  readonly issuer: TestIssuer
  readonly ca: string
  readonly dataDir: string
  /** `METHOD path` of every request the emulator served, in order. */
  readonly seen: string[]
  call(
    method: string,
    path: string,
    options?: { body?: string; headers?: Record<string, string> },
  ): Promise<HttpReply>
  admin(method: string, path: string, body?: unknown): Promise<HttpReply>
  /** A new app registration with FIC `prod` (issuer, `env:prod`, the default audience). */
  app(fic?: Partial<Record<string, unknown>> | null): Promise<{ id: string; appId: string }>
  token(form: Record<string, string | undefined>, path?: string): Promise<HttpReply>
  /** A token request for `appId` with `assertion`, ARM scope. */
  exchange(
    appId: string,
    assertion: string,
    extra?: Record<string, string | undefined>,
  ): Promise<HttpReply>
  mint(
    claims?: Record<string, unknown>,
    options?: Parameters<TestIssuer['mint']>[1],
  ): Promise<string>
  close(): Promise<void>
}

export function httpsCall(
  ca: string,
  url: string,
  method: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = text === '' ? undefined : JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
        })
      },
    )
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

export async function startAzureHarness(
  config: Partial<AzureEmulatorConfig> = {},
): Promise<AzureHarness> {
  const clock = new ManualClock(Date.now())
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'keyless-azure-'))
  const issuer = await startTestIssuer({ clock, audience: DEFAULT_AUDIENCE })
  const emulator = await buildAzureEmulator({ armWriteHoldMs: 50, ...config, dataDir }, { clock })
  const seen: string[] = []
  emulator.addHook('onRequest', (req, _reply, done) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0] ?? ''}`)
    done()
  })
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const port = (emulator.server.address() as AddressInfo).port
  const origin = `https://127.0.0.1:${port}`
  const ca = emulator.azure.tls.caPem
  const call: AzureHarness['call'] = (method, path, options) =>
    httpsCall(ca, `${origin}${path}`, method, options)
  const admin: AzureHarness['admin'] = (method, path, body) =>
    call(method, path, {
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const token: AzureHarness['token'] = (form, path = `/${TENANT}/oauth2/v2.0/token`) => {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) if (v !== undefined) body.append(k, v)
    return call('POST', path, {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }
  return {
    emulator,
    origin,
    port,
    clock,
    issuer,
    ca,
    dataDir,
    seen,
    call,
    admin,
    token,
    async app(fic = {}) {
      const created = await admin('POST', '/v1.0/applications', { displayName: 'app' })
      const { id, appId } = created.json as { id: string; appId: string }
      if (fic !== null) {
        const r = await admin('POST', `/v1.0/applications/${id}/federatedIdentityCredentials`, {
          name: 'prod',
          issuer: issuer.url,
          subject: 'env:prod',
          audiences: [DEFAULT_AUDIENCE],
          ...fic,
        })
        if (r.status !== 201) throw new Error(`FIC create failed: ${r.text}`)
      }
      return { id, appId }
    },
    exchange: (appId, assertion, extra = {}) =>
      token({
        client_id: appId,
        scope: ARM_SCOPE,
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
        ...extra,
      }),
    mint: (claims = {}, options) => issuer.mint({ sub: 'env:prod', ...claims }, options),
    async close() {
      await emulator.close()
      await issuer.close()
    },
  }
}
