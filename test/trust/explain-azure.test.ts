/**
 * `keyless explain --cloud azure` runs the Entra emulator's chain offline
 * (src/trust/explain/azure/): for every case of test/vectors/explain/azure-agreement.json the
 * emulator's answer to the token request and explain's — with the credentials read through Graph
 * and from a file of Graph's JSON — are the same AADSTS code and message, and explain names the
 * credential that came closest and the fields that differed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/cli.js'
import type { MintOptions } from '../support/test-issuer.js'
import {
  DEFAULT_AUDIENCE,
  startAzureHarness,
  type AzureHarness,
} from '../emulator/azure/harness.js'
import { runTrustCli } from './cli-harness.js'

interface AgreementCase {
  readonly name: string
  readonly claims?: Record<string, unknown>
  readonly mint?: MintOptions
  readonly fics?: Array<Record<string, unknown>>
  readonly expect: number | null
  readonly closest: { name: string; differs: string[]; hint?: string } | null
}

const file = join(REPO_ROOT, 'test', 'vectors', 'explain', 'azure-agreement.json')
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: AgreementCase[] }

let h: AzureHarness
let dir: string
beforeAll(async () => {
  h = await startAzureHarness()
  dir = mkdtempSync(join(tmpdir(), 'keyless-explain-azure-'))
  writeFileSync(join(dir, 'ca.pem'), h.ca)
})
afterAll(async () => {
  await h.close()
})

/** A new application with the case's credentials; its appId and Graph's list of them. */
async function application(c: AgreementCase): Promise<{ appId: string; graphJson: string }> {
  const fics = JSON.parse(
    JSON.stringify(c.fics ?? null).replaceAll('${issuer}', h.issuer.url),
  ) as Array<Record<string, unknown>> | null
  const { id, appId } = await h.app(fics === null ? {} : null)
  for (const fic of fics ?? [])
    expect(
      (await h.admin('POST', `/v1.0/applications/${id}/federatedIdentityCredentials`, fic)).status,
    ).toBe(201)
  const listed = await h.admin('GET', `/v1.0/applications/${id}/federatedIdentityCredentials`)
  return { appId, graphJson: listed.text }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of explain, read loosely
async function explain(args: readonly string[]): Promise<any> {
  const r = await runTrustCli(['explain', '--cloud', 'azure', '--format', 'json', ...args], {
    clock: h.clock,
  })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(JSON.parse(r.stdout).decision === 'allowed' ? 0 : 1)
  return JSON.parse(r.stdout)
}

describe('explain --cloud azure answers as the Entra emulator does', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { appId, graphJson } = await application(c)
    const token = await h.mint(c.claims ?? {}, c.mint)
    const online = await h.exchange(appId, token)
    const ficFile = join(dir, `${appId}.json`)
    writeFileSync(ficFile, graphJson)
    const live = await explain([
      ...['--token', token, '--client-id', appId, '--endpoint-url', h.origin],
      ...['--admin-token', 'test', '--ca-file', join(dir, 'ca.pem')],
    ])
    const fromFile = await explain(['--token', token, '--fic-file', ficFile, '--client-id', appId])
    expect(online.json?.error_codes?.[0] ?? null, online.text).toBe(c.expect)
    for (const offline of [live, fromFile]) {
      expect(offline.azureError?.code ?? null).toBe(c.expect)
      if (c.expect !== null) {
        const prefix = `AADSTS${c.expect}: ${offline.azureError.message}`
        expect(online.json.error_description.slice(0, prefix.length)).toBe(prefix)
      }
      if (c.closest === null) expect(offline.closest).toBeNull()
      else {
        expect(offline.closest.name).toBe(c.closest.name)
        expect(offline.closest.differences.map((d: { field: string }) => d.field)).toEqual(
          c.closest.differs,
        )
        if (c.closest.hint !== undefined)
          expect(offline.closest.differences[0].hint).toContain(c.closest.hint)
      }
    }
  })

  it('--audience evaluates the token as if it carried the Azure audience', async () => {
    const { graphJson } = await application({ name: 'aud', expect: null, closest: null })
    const token = await h.mint({ aud: 'aws:org_a1b2c3d4e5f6g7h8' })
    const ficFile = join(dir, 'aud.json')
    writeFileSync(ficFile, graphJson)
    const raw = await explain(['--token', token, '--fic-file', ficFile])
    expect(raw.azureError.code).toBe(700212)
    const asAzure = await explain([
      '--token',
      token,
      '--fic-file',
      ficFile,
      '--audience',
      DEFAULT_AUDIENCE,
    ])
    expect(asAzure.decision).toBe('allowed')
    expect(asAzure.lines.at(-1)).toMatch(
      /^Result: allowed; Entra issues an access token for https:\/\/management\.azure\.com to /u,
    )
  })

  it.each([
    [['--token', 'a.b'], /give --fic-file FILE/u],
    [['--token', 'not-a-jwt', '--fic-file', '-'], /not federated identity credentials|not a JWT/u],
    [['--token', 'a.b.c', '--client-id', 'x'], /needs --admin-token/u],
  ])('refuses %j with a usage line', async (args, message) => {
    const r = await runTrustCli(['explain', '--cloud', 'azure', ...args], { stdin: '[]' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})
