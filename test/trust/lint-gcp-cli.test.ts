/**
 * `keyless lint --cloud gcp`: a provider file, and the live provider and service-account policy
 * read through the Google emulator's IAM; exit 1 on findings, 2 on usage or unreadable input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startGcpHarness, type GcpHarness } from '../emulator/gcp/harness.js'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_lintgcp00000001'
const N = '123456789012'
const POOL = `projects/${N}/locations/global/workloadIdentityPools/kl-pool`
let h: GcpHarness

beforeAll(async () => {
  h = await startGcpHarness()
  await h.setup()
})
afterAll(async () => {
  await h?.close()
})

describe('lint --cloud gcp', () => {
  it('a file that keyless setup gcp wrote is clean (exit 0)', async () => {
    const setup = await runTrustCli([
      'setup',
      'gcp',
      '--organization',
      ORG,
      '--issuer',
      'https://keyless.example.com',
      '--project-number',
      N,
      '--pool-id',
      'kl-pool',
      '--service-account',
      'deploy@proj.iam.gserviceaccount.com',
      '--project',
      'prj_1',
      '--format',
      'json',
    ])
    expect(setup.code, setup.stderr).toBe(0)
    const file = join(mkdtempSync(join(tmpdir(), 'lint-gcp-')), 'setup.json')
    writeFileSync(file, setup.stdout)
    const r = await runTrustCli(['lint', '--cloud', 'gcp', file, '--organization', ORG])
    expect(r.stdout).toContain(': no problems found')
    expect(r.code).toBe(0)
  })

  it('the live provider and policy of the emulator: no condition, wrong audience (exit 1)', async () => {
    const r = await runTrustCli([
      'lint',
      '--cloud',
      'gcp',
      '--provider',
      `${POOL}/providers/kl-oidc`,
      '--service-account',
      'deploy@proj.iam.gserviceaccount.com',
      '--organization',
      ORG,
      '--endpoint-url',
      h.origin,
      '--admin-token',
      'test',
      '--format',
      'json',
    ])
    expect(r.code, r.stderr).toBe(1)
    const ids = JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)
    expect(ids).toEqual(['GCP01', 'GCP04'])
  })

  it('reads the token from KEYLESS_GCP_ADMIN_TOKEN, as setup gcp does, for lint and explain', async () => {
    vi.stubEnv('KEYLESS_GCP_ADMIN_TOKEN', 'test')
    try {
      const provider = `${POOL}/providers/kl-oidc`
      const live = ['--provider', provider, '--endpoint-url', h.origin]
      const lint = await runTrustCli(['lint', '--cloud', 'gcp', ...live, '--organization', ORG])
      expect(lint.stderr).not.toContain('--admin-token')
      expect(lint.code).toBe(1)
      expect(lint.stdout).toContain('GCP01')
      const explain = await runTrustCli(['explain', '--cloud', 'gcp', '--token', 'x.y.z', ...live])
      expect(explain.stderr).not.toContain('--admin-token')
      expect(explain.stdout).toContain(`provider ${provider}`)
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('the whole pool bound on the live policy (GCP05)', async () => {
    await h.setPolicy('deploy@proj.iam.gserviceaccount.com', [
      {
        role: 'roles/iam.workloadIdentityUser',
        members: [`principalSet://iam.googleapis.com/${POOL}/*`],
      },
    ])
    const r = await runTrustCli([
      'lint',
      '--cloud',
      'gcp',
      '--service-account',
      'deploy@proj.iam.gserviceaccount.com',
      '--endpoint-url',
      h.origin,
      '--admin-token',
      'test',
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('GCP05')
    expect(r.stdout).toContain(`is every identity of pool kl-pool`)
  })

  const refusals: ReadonlyArray<[string[], RegExp]> = [
    [['lint', '--cloud', 'gcp'], /give a FILE of providers/u],
    [['lint', '--cloud', 'gcp', '--provider', 'x'], /needs --admin-token/u],
    [['lint', '--cloud', 'gcp', '-', '--format', 'sarif'], /--format must be text or json/u],
    [['lint', '--cloud', 'gcp', '-'], /not workload identity providers/u],
  ]
  it.each(refusals)('refuses %j (exit 2)', async (args, message) => {
    const r = await runTrustCli(args, { stdin: '{}' })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})
