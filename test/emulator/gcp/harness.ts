/**
 * Harness for the Google emulator tests: the emulator on a random loopback http port, a loopback
 * test issuer on the same manual clock, and helpers for management calls (admin bearer), STS
 * exchanges and generateAccessToken. `setup()` creates the must-pass setup of docs/gcp.md:
 * pool kl-pool, provider kl-oidc (google.subject = assertion.sub, attribute.env =
 * assertion.environment), service account deploy@proj bound to attribute.env/prod.
 */
import type { AddressInfo } from 'node:net'
import {
  buildGcpEmulator,
  type GcpEmulator,
  type GcpEmulatorConfig,
} from '../../../src/emulator/gcp/index.js'
import { ManualClock } from '../../../src/shared/clock.js'
import {
  startTestIssuer,
  type MintOptions,
  type TestIssuer,
  type TestIssuerOptions,
} from '../../support/test-issuer.js'

export const N = '123456789012'
export const POOL = 'kl-pool'
export const PROVIDER = 'kl-oidc'
export const POOL_NAME = `projects/${N}/locations/global/workloadIdentityPools/${POOL}`
export const PN = `${POOL_NAME}/providers/${PROVIDER}`
export const AUD = `//iam.googleapis.com/${PN}`
export const SA = 'deploy@proj.iam.gserviceaccount.com'
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'
export const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const ACCESS = 'urn:ietf:params:oauth:token-type:access_token'
export const JWT = 'urn:ietf:params:oauth:token-type:jwt'
export const MAPPING = {
  'google.subject': 'assertion.sub',
  'attribute.env': 'assertion.environment',
}
export const PROD_SET = `principalSet://iam.googleapis.com/${POOL_NAME}/attribute.env/prod`

export interface HttpReply {
  readonly status: number
  readonly text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read loosely in tests
  readonly json: any
}

export interface GcpHarness {
  readonly emulator: GcpEmulator
  readonly origin: string
  readonly clock: ManualClock
  readonly issuer: TestIssuer
  /** `METHOD path` of every request the emulator served, in order. */
  readonly seen: string[]
  /** The bodies of the requests in `seen` (same order). */
  readonly bodies: string[]
  call(
    method: string,
    path: string,
    options?: { body?: string; headers?: Record<string, string> },
  ): Promise<HttpReply>
  admin(method: string, path: string, body?: unknown): Promise<HttpReply>
  /** Creates provider `id` in kl-pool (the must-pass mapping unless overridden); answers its STS audience. */
  provider(id: string, body?: Record<string, unknown>, pool?: string): Promise<string>
  /** STS exchange, form encoded; `fields` override the defaults (undefined drops one). */
  exchange(token: string, fields?: Record<string, string | undefined>): Promise<HttpReply>
  generate(bearer: string | undefined, email?: string, body?: unknown): Promise<HttpReply>
  setPolicy(
    email: string,
    bindings: ReadonlyArray<{ role: string; members: string[] }>,
  ): Promise<HttpReply>
  /** J0 of the must-pass setup, with claim overrides. */
  mint(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>
  /** Exchanges J0 (with overrides) and answers the federated token, failing the test otherwise. */
  federated(claims?: Record<string, unknown>, audience?: string): Promise<string>
  setup(): Promise<void>
  close(): Promise<void>
}

export async function call(
  origin: string,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  })
  const text = await res.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, text, json }
}

export async function startGcpHarness(
  config: GcpEmulatorConfig = {},
  issuerOptions: TestIssuerOptions = {},
): Promise<GcpHarness> {
  const clock = new ManualClock(Date.now())
  const issuer = await startTestIssuer({ clock, audience: AUD, ...issuerOptions })
  const emulator = await buildGcpEmulator(config, { clock })
  const seen: string[] = []
  const bodies: string[] = []
  emulator.addHook('preHandler', (req, _reply, done) => {
    seen.push(`${req.method} ${(req.url ?? '').split('?')[0] ?? ''}`)
    bodies.push(typeof req.body === 'string' ? req.body : '')
    done()
  })
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const origin = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`
  const h: GcpHarness = {
    emulator,
    origin,
    clock,
    issuer,
    seen,
    bodies,
    call: (method, path, options) => call(origin, method, path, options),
    admin: (method, path, body) =>
      call(origin, method, path, {
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    async provider(id, body = {}, pool = POOL) {
      const r = await h.admin(
        'POST',
        `/v1/projects/${N}/locations/global/workloadIdentityPools/${pool}/providers?workloadIdentityPoolProviderId=${id}`,
        {
          attributeMapping: MAPPING,
          oidc: { issuerUri: issuer.url },
          ...body,
        },
      )
      if (r.status !== 200) throw new Error(`provider create failed: ${r.text}`)
      return `//iam.googleapis.com/projects/${N}/locations/global/workloadIdentityPools/${pool}/providers/${id}`
    },
    exchange(token, fields = {}) {
      const form = new URLSearchParams()
      const all: Record<string, string | undefined> = {
        grant_type: GRANT,
        audience: AUD,
        scope: CLOUD_PLATFORM,
        requested_token_type: ACCESS,
        subject_token: token,
        subject_token_type: JWT,
        ...fields,
      }
      for (const [k, v] of Object.entries(all)) if (v !== undefined) form.append(k, v)
      return h.call('POST', '/v1/token', {
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    },
    generate(bearer, email = SA, body = { scope: [CLOUD_PLATFORM], lifetime: '3600s' }) {
      return h.call('POST', `/v1/projects/-/serviceAccounts/${email}:generateAccessToken`, {
        body: JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        },
      })
    },
    setPolicy: (email, bindings) =>
      h.admin('POST', `/v1/projects/-/serviceAccounts/${email}:setIamPolicy`, {
        policy: { bindings },
      }),
    mint: (claims = {}, options) =>
      issuer.mint({ sub: 'env:prod', environment: 'prod', ...claims }, options),
    async federated(claims = {}, audience = AUD) {
      const r = await h.exchange(
        await h.mint(claims.aud === undefined ? { ...claims, aud: audience } : claims),
        { audience },
      )
      if (r.status !== 200) throw new Error(`exchange failed: ${r.text}`)
      return String(r.json.access_token)
    },
    async setup() {
      const pool = await h.admin(
        'POST',
        `/v1/projects/${N}/locations/global/workloadIdentityPools?workloadIdentityPoolId=${POOL}`,
        { displayName: 'keyless' },
      )
      if (pool.status !== 200) throw new Error(`pool create failed: ${pool.text}`)
      await h.provider(PROVIDER)
      const sa = await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'deploy' })
      if (sa.status !== 200) throw new Error(`service account create failed: ${sa.text}`)
      const p = await h.setPolicy(SA, [
        { role: 'roles/iam.workloadIdentityUser', members: [PROD_SET] },
      ])
      if (p.status !== 200) throw new Error(`setIamPolicy failed: ${p.text}`)
    },
    async close() {
      await emulator.close()
      await issuer.close()
    },
  }
  return h
}
