/**
 * `applyAzureSetup` against the Entra emulator over https (its CA, its admin token): Graph for app
 * registrations and ARM for user-assigned managed identities, idempotent, and refusing a plan
 * whole — nothing written — when a name is taken by another subject or the 20 would be exceeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applyAzureSetup,
  planAzureSetup,
  type AzureSetupInput,
  type EntraConnection,
} from '../../src/trust/index.js'
import { startAzureHarness, type AzureHarness } from '../emulator/azure/harness.js'

const ORG = 'org_applytest000001'
const AUD = `azure:${ORG}`
const MI = (name: string) =>
  `/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`
let h: AzureHarness
let connection: EntraConnection

beforeAll(async () => {
  h = await startAzureHarness()
  connection = { graphUrl: h.origin, armUrl: h.origin, token: 'test', ca: h.ca }
})
afterAll(async () => {
  await h?.close()
})

const input = (clientId: string, envs: string[], patch: Partial<AzureSetupInput> = {}) =>
  ({
    organizationId: ORG,
    issuer: h.issuer.url,
    credentials: [
      {
        credentialId: 'crd_1',
        name: 'azure',
        clientId,
        audience: AUD,
        scopes: envs.map((environmentId) => ({ projectId: 'prj_1', environmentId })),
      },
    ],
    ...patch,
  }) satisfies AzureSetupInput
const subject = (env: string) => `org:${ORG}:project:prj_1:environment:${env}`

async function fics(objectId: string): Promise<Array<Record<string, unknown>>> {
  const r = await h.admin('GET', `/v1.0/applications/${objectId}/federatedIdentityCredentials`)
  return r.json.value
}

async function signIn(clientId: string, env: string): Promise<number> {
  const token = await h.mint({ sub: subject(env), aud: AUD })
  return (await h.exchange(clientId, token)).status
}

describe('setup azure --apply: app registrations (Graph)', () => {
  it('creates, then keeps; the minted token signs in', async () => {
    const app = await h.app(null)
    const plan = planAzureSetup(input(app.appId, ['env_a', 'env_b']))
    expect(await signIn(app.appId, 'env_a')).toBe(401)
    const first = await applyAzureSetup(plan, connection)
    expect(first.lines.map((l) => l.split(':')[1]?.trim().split(' ')[0])).toEqual([
      'created',
      'created',
    ])
    expect((await fics(app.id)).map((f) => f['subject'])).toEqual([
      subject('env_a'),
      subject('env_b'),
    ])
    expect(await signIn(app.appId, 'env_a')).toBe(200)
    const again = await applyAzureSetup(plan, connection)
    expect(again.lines).toEqual([
      `application ${app.appId}: kept keyless-project-prj_1-environment-env_a (subject ${subject('env_a')})`,
      `application ${app.appId}: kept keyless-project-prj_1-environment-env_b (subject ${subject('env_b')})`,
    ])
    expect(await fics(app.id)).toHaveLength(2)
  })

  const refusals: ReadonlyArray<[string, Record<string, unknown>[], number, RegExp]> = [
    [
      'a name taken by another subject',
      [{ name: 'keyless-project-prj_1-environment-env_b', subject: 'other' }],
      1,
      /a federated credential named keyless-project-prj_1-environment-env_b already exists with issuer .* and subject other/u,
    ],
    [
      '19 exist and 2 more are needed',
      Array.from({ length: 19 }, (_, i) => ({ name: `old-${i}`, subject: `old:${i}` })),
      19,
      /19 federated credentials exist and 2 more are needed: Entra allows at most 20/u,
    ],
  ]
  it.each(refusals)('refuses, nothing written: %s', async (_name, existing, count, message) => {
    const app = await h.app(null)
    for (const f of existing) {
      const r = await h.admin('POST', `/v1.0/applications/${app.id}/federatedIdentityCredentials`, {
        issuer: h.issuer.url,
        audiences: [AUD],
        ...f,
      })
      expect(r.status, r.text).toBe(201)
    }
    const plan = planAzureSetup(input(app.appId, ['env_a', 'env_b']))
    await expect(applyAzureSetup(plan, connection)).rejects.toThrow(message)
    await expect(applyAzureSetup(plan, connection)).rejects.toThrow(/\(nothing was written\)$/u)
    expect(await fics(app.id)).toHaveLength(count)
  })

  it('keeps a FIC of the same issuer and subject with another audience, and warns', async () => {
    const app = await h.app({ name: 'mine', subject: subject('env_a'), audiences: ['other'] })
    const r = await applyAzureSetup(planAzureSetup(input(app.appId, ['env_a'])), connection)
    expect(r.lines).toEqual([`application ${app.appId}: kept mine (subject ${subject('env_a')})`])
    expect(r.warnings).toEqual([
      `application ${app.appId}: federated credential mine has subject ${subject('env_a')} but audience other, not ${AUD}: tokens are refused (AADSTS700212) until its audience is ${AUD}`,
    ])
  })

  it('an unknown application: not found, with Graph’s answer', async () => {
    const plan = planAzureSetup(input('00000000-0000-4000-8000-000000000000', ['env_a']))
    await expect(applyAzureSetup(plan, connection)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/→ 404 Request_ResourceNotFound/u),
    })
  })

  it('an untrusted CA: unreachable, one line', async () => {
    const plan = planAzureSetup(input('00000000-0000-4000-8000-000000000000', ['env_a']))
    const { ca: _ca, ...noCa } = connection
    await expect(applyAzureSetup(plan, noCa)).rejects.toMatchObject({
      code: 'upstream_unreachable',
    })
  })
})

describe('setup azure --apply: managed identities (ARM)', () => {
  async function identity(name: string): Promise<string> {
    const r = await h.admin('PUT', `${MI(name)}?api-version=2023-01-31`, { location: 'westeurope' })
    expect(r.status, r.text).toBe(201)
    return r.json.properties.clientId
  }

  it('creates under the identity (one write at a time), then keeps; the token signs in', async () => {
    const clientId = await identity('deployer')
    const plan = planAzureSetup(
      input(clientId, ['env_a', 'env_b', 'env_c'], {
        target: 'managed-identity',
        identities: { [clientId]: MI('deployer') },
      }),
    )
    const first = await applyAzureSetup(plan, connection)
    expect(first.lines).toHaveLength(3)
    expect(first.lines[0]).toBe(
      `managed identity deployer: created keyless-project-prj_1-environment-env_a (subject ${subject('env_a')})`,
    )
    const listed = await h.admin(
      'GET',
      `${MI('deployer')}/federatedIdentityCredentials?api-version=2023-01-31`,
    )
    expect(
      listed.json.value.map((f: { properties: { subject: string } }) => f.properties.subject),
    ).toEqual(['env_a', 'env_b', 'env_c'].map(subject))
    expect(await signIn(clientId, 'env_c')).toBe(200)
    const again = await applyAzureSetup(plan, connection)
    expect(again.lines.every((l) => l.includes(': kept '))).toBe(true)
  })

  it('refuses an identity whose client id is not the credential’s', async () => {
    await identity('other')
    const clientId = '12345678-1234-4234-8234-123456789012'
    const plan = planAzureSetup(
      input(clientId, ['env_a'], {
        target: 'managed-identity',
        identities: { [clientId]: MI('other') },
      }),
    )
    await expect(applyAzureSetup(plan, connection)).rejects.toThrow(
      /managed identity .*userAssignedIdentities\/other has client id [0-9a-f-]{36}, not the credential's 12345678-/u,
    )
  })
})
