/**
 * azure-identity for Python, unmodified, against the Entra emulator (must-pass cases 54–56):
 * Debian's python3-azure (which the Azure CLI depends on) ships azure-identity 1.13.0b2, which
 * has no WorkloadIdentityCredential yet; ClientAssertionCredential reading the token file is what
 * WorkloadIdentityCredential wraps. The authority comes from AZURE_AUTHORITY_HOST (this version's
 * `authority=` keyword breaks its own constructor) and the CA from REQUESTS_CA_BUNDLE.
 */
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PYTHON, requireAzureCli } from '../../support/env.js'
import { ARM_SCOPE, TENANT, startAzureHarness, type AzureHarness } from './harness.js'

const run = promisify(execFile)
const SCRIPT = `
import json, sys
from azure.identity import ClientAssertionCredential
tenant, client, token_file = sys.argv[1:4]
try:
    c = ClientAssertionCredential(tenant, client, lambda: open(token_file).read())
    t = c.get_token(${JSON.stringify(ARM_SCOPE)})
    print(json.dumps({"token": t.token, "expires_on": t.expires_on}))
except Exception as e:
    print(json.dumps({"name": type(e).__name__, "message": str(e)}))
`
const available = existsSync('/usr/lib/python3/dist-packages/azure/identity') || requireAzureCli

async function python(
  h: AzureHarness,
  appId: string,
  token: string,
  authority: string,
): Promise<Record<string, unknown>> {
  const file = join(h.dataDir, `token-${Math.random().toString(36).slice(2)}`)
  writeFileSync(file, token)
  const { stdout } = await run(PYTHON, ['-c', SCRIPT, TENANT, appId, file], {
    env: {
      PATH: process.env['PATH'] ?? '',
      AZURE_AUTHORITY_HOST: authority,
      REQUESTS_CA_BUNDLE: join(h.dataDir, 'emulator-ca.pem'),
    },
    timeout: 60_000,
  })
  return JSON.parse(stdout) as Record<string, unknown>
}

describe.skipIf(!available)('azure-identity (Python) against the Entra emulator', () => {
  let h: AzureHarness
  let appId = ''
  beforeAll(async () => {
    h = await startAzureHarness()
    appId = (await h.app()).appId
  })
  afterAll(async () => {
    await h.close()
  })

  /** [case, claims of the assertion, authority (default: the emulator), what must hold] */
  const cases: ReadonlyArray<
    readonly [
      string,
      Record<string, unknown>,
      string | null,
      (out: Record<string, unknown>) => void,
    ]
  > = [
    [
      '54: a token from the token POST alone (no discovery)',
      {},
      null,
      (out) => {
        expect(String(out['token']).split('.')).toHaveLength(3)
        expect(h.seen).toEqual([`POST /${TENANT}/oauth2/v2.0/token`])
      },
    ],
    [
      '55: an http authority → ValueError asking for a TLS protected (https) URL, no request',
      {},
      'http://127.0.0.1:9',
      (out) => {
        expect(out['name']).toBe('ValueError')
        expect(String(out['message'])).toContain('TLS protected (https) URL.')
        expect(h.seen).toEqual([])
      },
    ],
    [
      '56: the refusal of case 25 names invalid_client and AADSTS7002138',
      { sub: 'ENV:prod' },
      null,
      (out) => {
        expect(out['name']).toBe('ClientAuthenticationError')
        // 1.13 says "Azure Active Directory error"; current releases say "Microsoft Entra ID error".
        expect(String(out['message'])).toMatch(
          /(Azure Active Directory|Microsoft Entra ID) error '\(invalid_client\) AADSTS7002138: /u,
        )
      },
    ],
  ]
  it.each(cases)('%s', async (_, claims, authority, check) => {
    h.seen.length = 0
    check(await python(h, appId, await h.mint(claims), authority ?? h.origin))
  })
})
