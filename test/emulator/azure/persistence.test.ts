/**
 * The Entra emulator keeps its directory in the emulator's state file: an app registration, a
 * managed identity and their federated credentials written before a restart are there after it,
 * and a token exchange against them still succeeds.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sqliteState } from '../../../src/emulator/state/sqlite.js'
import { startAzureHarness, type AzureHarness } from './harness.js'

const UAMI =
  '/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deployer'
const dir = mkdtempSync(join(tmpdir(), 'keyless-azure-state-'))
const file = join(dir, 'emulator.db')
const open: AzureHarness[] = []

async function start(): Promise<AzureHarness> {
  const h = await startAzureHarness({ dataDir: dir, store: sqliteState(file).documents })
  open.push(h)
  return h
}

afterAll(async () => {
  await Promise.all(open.map((h) => h.close()))
})

describe('Entra emulator state across restarts', () => {
  it('keeps apps, managed identities and their federated credentials', async () => {
    const first = await start()
    const { id, appId } = await first.app()
    const put = await first.admin('PUT', `${UAMI}?api-version=2023-01-31`, {
      location: 'westeurope',
    })
    expect(put.status).toBe(201)
    const fic = await first.admin(
      'PUT',
      `${UAMI}/federatedIdentityCredentials/keyless?api-version=2023-01-31`,
      {
        properties: {
          issuer: 'https://keyless.test',
          subject: 'env:prod',
          audiences: ['api://AzureADTokenExchange'],
        },
      },
    )
    expect(fic.status).toBe(201)
    await first.close()
    open.length = 0

    const second = await start()
    const fics = await second.admin('GET', `/v1.0/applications/${id}/federatedIdentityCredentials`)
    expect(fics.json.value.map((f: { subject: string }) => f.subject)).toEqual(['env:prod'])
    const miFics = await second.admin(
      'GET',
      `${UAMI}/federatedIdentityCredentials?api-version=2023-01-31`,
    )
    expect(miFics.json.value.map((f: { name: string }) => f.name)).toEqual(['keyless'])
    // The first harness's issuer is gone: register the app's FIC for the new issuer, then sign in.
    const again = await second.admin(
      'POST',
      `/v1.0/applications/${id}/federatedIdentityCredentials`,
      {
        name: 'prod-2',
        issuer: second.issuer.url,
        subject: 'env:prod',
        audiences: ['api://AzureADTokenExchange'],
      },
    )
    expect(again.status).toBe(201)
    const r = await second.exchange(appId, await second.mint())
    expect(r.status, r.text).toBe(200)
  })
})
