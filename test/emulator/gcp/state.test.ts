/**
 * With `--state FILE` the Google emulator keeps its pools, providers (checked and compiled again
 * at start), service accounts and their policies across a restart; tokens are not kept.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildGcpEmulator } from '../../../src/emulator/gcp/index.js'
import { sqliteState } from '../../../src/emulator/state/sqlite.js'
import { AUD, N, SA, startGcpHarness } from './harness.js'

describe('Google emulator state', () => {
  it('pools, providers, deleted ones, service accounts and bindings survive a restart on a SQLite file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keyless-gcp-state-')), 'emulator.db')
    const first = sqliteState(file)
    const h = await startGcpHarness({ store: first.documents })
    try {
      await h.setup()
      await h.provider('gone')
      expect(
        (
          await h.admin(
            'DELETE',
            `/v1/projects/${N}/locations/global/workloadIdentityPools/kl-pool/providers/gone`,
          )
        ).status,
      ).toBe(200)
      const federated = await h.federated()
      first.close()

      const second = sqliteState(file)
      const again = await buildGcpEmulator({ store: second.documents }, { clock: h.clock })
      try {
        const inject = (method: string, url: string, body?: string, token = 'test') =>
          again.inject({
            method: method as 'GET',
            url,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type':
                body === undefined ? 'application/json' : 'application/x-www-form-urlencoded',
            },
            ...(body === undefined ? {} : { payload: body }),
          })
        const provider = await inject(
          'GET',
          `/v1/projects/${N}/locations/global/workloadIdentityPools/kl-pool/providers/kl-oidc`,
        )
        expect(provider.statusCode).toBe(200)
        expect(JSON.parse(provider.body)).toMatchObject({
          state: 'ACTIVE',
          attributeMapping: { 'google.subject': 'assertion.sub' },
        })
        const gone = await inject(
          'GET',
          `/v1/projects/${N}/locations/global/workloadIdentityPools/kl-pool/providers/gone`,
        )
        expect(JSON.parse(gone.body)).toMatchObject({ state: 'DELETED' })
        const policy = await inject('POST', `/v1/projects/-/serviceAccounts/${SA}:getIamPolicy`)
        expect(JSON.parse(policy.body).bindings).toHaveLength(1)
        const form = new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          audience: AUD,
          scope: 'https://www.googleapis.com/auth/cloud-platform',
          requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
          subject_token: await h.mint(),
        })
        expect((await inject('POST', '/v1/token', form.toString())).statusCode).toBe(200)
        const stale = await again.inject({
          method: 'POST',
          url: `/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
          headers: { authorization: `Bearer ${federated}`, 'content-type': 'application/json' },
          payload: '{"scope":["x"]}',
        })
        expect(stale.statusCode).toBe(401)
      } finally {
        await again.close()
        second.close()
      }
    } finally {
      await h.close()
    }
  })
})
