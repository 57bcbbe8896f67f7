/**
 * `keyless lint --cloud azure`: Graph JSON from a file or stdin, or the live credentials of an
 * application (Graph) or managed identity (ARM) at the Entra emulator; what `setup azure` writes
 * lints clean.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAzureHarness, type AzureHarness } from '../emulator/azure/harness.js'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_lintcli00000001'
const AUD = `azure:${ORG}`
const SUB = `org:${ORG}:project:prj_1:environment:env_1`
const ISSUER = 'https://keyless.example.com'
const dir = mkdtempSync(join(tmpdir(), 'keyless-lint-azure-'))
const file = (name: string, json: unknown): string => {
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(json))
  return path
}
const fic = (patch: Record<string, unknown> = {}) => ({
  name: 'keyless-prod',
  issuer: ISSUER,
  subject: SUB,
  audiences: [AUD],
  ...patch,
})
const opts = ['--cloud', 'azure', '--issuer', ISSUER, '--organization', ORG]

let h: AzureHarness
beforeAll(async () => {
  h = await startAzureHarness()
})
afterAll(async () => {
  await h?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('lint --cloud azure FILE', () => {
  it('clean: exit 0, and the text says so', async () => {
    const path = file('clean.json', { value: [fic()] })
    const r = await runTrustCli(['lint', path, ...opts])
    expect(r).toEqual({ code: 0, stdout: `${path}: no problems found\n`, stderr: '' })
  })

  it('findings: exit 1; JSON in the trust-policy lint’s shape', async () => {
    const path = file('bad.json', { value: [fic({ issuer: `${ISSUER}/` })] })
    const r = await runTrustCli(['lint', path, ...opts, '--format', 'json'])
    expect(r.code).toBe(1)
    const json = JSON.parse(r.stdout)
    expect(json.summary).toEqual({ errors: 1, warnings: 0, infos: 0 })
    expect(Object.keys(json.findings[0])).toEqual([
      'ruleId',
      'severity',
      'message',
      'statement',
      'key',
      'fix',
    ])
    expect(json.findings[0]).toMatchObject({
      ruleId: 'AZ01',
      statement: 'keyless-prod',
      key: 'issuer',
    })
  })

  it.each([
    { name: 'no --issuer', args: ['--organization', ORG], notes: ['no --issuer'] },
    { name: 'no --organization', args: ['--issuer', ISSUER], notes: ['no --organization'] },
    { name: 'neither', args: [], notes: ['no --issuer', 'no --organization'] },
  ])('$name: the checks it could not make are noted on stderr', async ({ args, notes }) => {
    const path = file('skipped.json', { value: [fic()] })
    const r = await runTrustCli(['lint', path, '--cloud', 'azure', ...args])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${path}: no problems found\n`)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.map((l) => /^note: (no --\w+)/u.exec(l)?.[1])).toEqual(notes)
  })

  it('reads standard input', async () => {
    const r = await runTrustCli(['lint', '-', ...opts], {
      stdin: JSON.stringify([fic({ audiences: ['api://AzureADTokenExchange'] })]),
    })
    expect(r.code).toBe(1)
    expect(
      r.stdout.startsWith(
        '<stdin>  error  AZ04  keyless-prod: audience "api://AzureADTokenExchange"',
      ),
    ).toBe(true)
  })

  it('what setup azure writes lints clean', async () => {
    const setup = await runTrustCli([
      'setup',
      'azure',
      '--organization',
      ORG,
      '--issuer',
      ISSUER,
      '--client-id',
      '11111111-2222-4333-8444-555555555555',
      '--plan-client-id',
      '66666666-7777-4888-9999-aaaaaaaaaaaa',
      '--project',
      'prj_1',
      '--environment',
      'env_1',
      '--environment',
      'env_2',
      '--format',
      'json',
    ])
    expect(setup.code, setup.stderr).toBe(0)
    const r = await runTrustCli(['lint', file('setup.json', JSON.parse(setup.stdout)), ...opts])
    expect(r.stdout).toMatch(/no problems found\n$/u)
    expect(r.code).toBe(0)
  })

  it.each([
    ['not JSON', 'x', /not federated identity credentials: not JSON/u],
    ['no credentials', '{"a":1}', /no "value", "applications" or "issuer"/u],
  ])('unreadable (%s): exit 2, one line', async (_name, text, message) => {
    const path = join(dir, 'unreadable.json')
    writeFileSync(path, text)
    const r = await runTrustCli(['lint', path, ...opts])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it.each([
    [['lint', '--cloud', 'oci', 'x'], /--cloud must be aws, azure or gcp/u],
    [['lint', '--cloud', 'azure'], /give a FILE of federated credentials/u],
    [['lint', '--cloud', 'azure', 'x', '--format', 'sarif'], /--format must be text or json/u],
    [['lint', '--cloud', 'azure', '--client-id', 'x'], /needs --admin-token/u],
  ])('usage: %j', async (args, message) => {
    const r = await runTrustCli(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})

describe('lint --cloud azure, live at the Entra emulator', () => {
  const live = () => [
    '--endpoint-url',
    h.origin,
    '--ca-file',
    join(h.dataDir, 'emulator-ca.pem'),
    '--admin-token',
    'test',
  ]

  it('an application’s credentials, read through Graph', async () => {
    const app = await h.app({
      name: 'keyless-prod',
      issuer: ISSUER,
      subject: SUB.toUpperCase(),
      audiences: [AUD],
    })
    const r = await runTrustCli(['lint', ...opts, '--client-id', app.appId, ...live()])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`application ${app.appId}  error  AZ02  keyless-prod: subject`)
  })

  it('a managed identity’s credentials, read through ARM', async () => {
    const mi =
      '/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/lint'
    expect(
      (await h.admin('PUT', `${mi}?api-version=2023-01-31`, { location: 'westeurope' })).status,
    ).toBe(201)
    const put = await h.admin(
      'PUT',
      `${mi}/federatedIdentityCredentials/keyless-prod?api-version=2023-01-31`,
      {
        properties: {
          issuer: ISSUER,
          subject: `org:org_other:project:p:environment:e`,
          audiences: [AUD],
        },
      },
    )
    expect(put.status, put.text).toBe(201)
    const r = await runTrustCli(['lint', ...opts, '--identity', mi, ...live(), '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['AZ03'])
  })

  it('an unknown application: not found (exit 4)', async () => {
    const r = await runTrustCli([
      'lint',
      ...opts,
      '--client-id',
      '00000000-0000-4000-8000-000000000000',
      ...live(),
    ])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/→ 404/u)
  })
})
