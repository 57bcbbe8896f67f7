/**
 * Google emulator cases that need a configuration or a misbehaving issuer: what the spec marks
 * [U] is configurable, and each switch changes the answer the way docs/gcp.md says.
 */
import { describe, expect, it } from 'vitest'
import type { GcpEmulatorConfig } from '../../../src/emulator/gcp/index.js'
import {
  CLOUD_PLATFORM,
  MAPPING,
  N,
  PROD_SET,
  SA,
  startGcpHarness,
  type GcpHarness,
} from './harness.js'

interface Row {
  readonly name: string
  readonly config: GcpEmulatorConfig
  run(h: GcpHarness): Promise<void>
}

const now = (h: GcpHarness): number => Math.floor(h.clock.now().getTime() / 1000)
const POOLS = `/v1/projects/${N}/locations/global/workloadIdentityPools`

const rows: Row[] = [
  {
    name: '5: --require-https-issuers refuses a loopback http issuer at provider create',
    config: { rules: { requireHttpsIssuers: true } },
    async run(h) {
      const r = await h.admin(
        'POST',
        `${POOLS}/kl-pool/providers?workloadIdentityPoolProviderId=https-only`,
        { attributeMapping: MAPPING, oidc: { issuerUri: h.issuer.url } },
      )
      expect({ status: r.status, s: r.json.error.status }).toEqual({
        status: 400,
        s: 'INVALID_ARGUMENT',
      })
      expect(r.json.error.message).toContain('must use the https scheme')
    },
  },
  {
    name: '5: allowHttpIssuers accepts http on any host',
    config: { providerRules: { allowHttpIssuers: true } },
    async run(h) {
      const r = await h.admin(
        'POST',
        `${POOLS}/kl-pool/providers?workloadIdentityPoolProviderId=any-http`,
        { attributeMapping: MAPPING, oidc: { issuerUri: 'http://keyless.test' } },
      )
      expect(r.status, r.text).toBe(200)
    },
  },
  {
    name: '22: an issuer slower than the JWKS timeout → "Error connecting to the given credential\'s issuer."',
    config: { jwksTimeoutMs: 200 },
    async run(h) {
      h.issuer.behavior.delayMs = 1000
      const r = await h.exchange(await h.mint())
      h.issuer.behavior.delayMs = 0
      expect(r.json).toEqual({
        error: 'invalid_grant',
        error_description: "Error connecting to the given credential's issuer.",
      })
    },
  },
  {
    name: '43: capAtSubjectExpiry caps expires_in at the subject token exp',
    config: { rules: { capAtSubjectExpiry: true } },
    async run(h) {
      const r = await h.exchange(await h.mint({ exp: now(h) + 120 }))
      expect(r.json.expires_in).toBe(120)
    },
  },
  {
    name: '58: strictSubjectToken refuses a subject_token ending in a newline',
    config: { rules: { strictSubjectToken: true } },
    async run(h) {
      expect((await h.exchange(`${await h.mint()}\n`)).json.error).toBe('invalid_grant')
      expect((await h.exchange(await h.mint())).status).toBe(200)
    },
  },
  {
    name: '19: acceptArrayAudience false refuses an array aud',
    config: { rules: { acceptArrayAudience: false } },
    async run(h) {
      const r = await h.exchange(
        await h.mint({
          aud: [
            `//iam.googleapis.com/projects/${N}/locations/global/workloadIdentityPools/kl-pool/providers/kl-oidc`,
          ],
        }),
      )
      expect(r.json.error).toBe('invalid_grant')
    },
  },
  {
    name: '21: issuerSlashInsensitive false makes the trailing slash significant',
    config: { rules: { issuerSlashInsensitive: false } },
    async run(h) {
      const aud = await h.provider('slash', { oidc: { issuerUri: `${h.issuer.url}/` } })
      const r = await h.exchange(await h.mint({ aud }), { audience: aud })
      expect(r.json).toEqual({
        error: 'invalid_grant',
        error_description: `The issuer in ID Token ${h.issuer.url} does not match the expected ones: ${h.issuer.url}/`,
      })
    },
  },
  {
    name: 'clock skew: --clock-skew-seconds 60 accepts a token expired 30 s ago; the default refuses one expired 2 s ago',
    config: { rules: { clockSkewSeconds: 60 } },
    async run(h) {
      expect((await h.exchange(await h.mint({ iat: now(h) - 600, exp: now(h) - 30 }))).status).toBe(
        200,
      )
      const strict = await startGcpHarness()
      try {
        await strict.setup()
        expect(
          (
            await strict.exchange(
              await strict.mint({ iat: now(strict) - 600, exp: now(strict) - 2 }),
            )
          ).json.error,
        ).toBe('invalid_grant')
      } finally {
        await strict.close()
      }
    },
  },
  {
    name: '55: a binding propagation delay of 30 s: refused at 1 s, allowed at 31 s',
    config: { bindingPropagationSeconds: 30 },
    async run(h) {
      await h.admin('POST', '/v1/projects/proj/serviceAccounts', { accountId: 'late-sa' })
      const email = 'late-sa@proj.iam.gserviceaccount.com'
      await h.setPolicy(email, [{ role: 'roles/iam.workloadIdentityUser', members: [PROD_SET] }])
      const token = await h.federated()
      h.clock.advance(1000)
      expect((await h.generate(token, email)).status).toBe(403)
      h.clock.advance(30_000)
      expect((await h.generate(token, email)).status).toBe(200)
    },
  },
  {
    name: '52: the org policy option allows lifetimes up to 43200 s',
    config: { maxLifetimeSeconds: 43200 },
    async run(h) {
      const token = await h.federated()
      const ok = await h.generate(token, SA, { scope: [CLOUD_PLATFORM], lifetime: '43200s' })
      expect(ok.status, ok.text).toBe(200)
      expect(Date.parse(String(ok.json.expireTime)) / 1000).toBe(now(h) + 43200)
      expect(
        (await h.generate(token, SA, { scope: [CLOUD_PLATFORM], lifetime: '43201s' })).status,
      ).toBe(400)
    },
  },
]

describe('Google emulator switches', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_n, row) => {
    const h = await startGcpHarness(row.config)
    try {
      await h.setup().catch((e: unknown) => {
        if (row.config.rules?.requireHttpsIssuers !== true) throw e
      })
      await row.run(h)
    } finally {
      await h.close()
    }
  })
})
