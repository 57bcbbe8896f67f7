/**
 * Offline `keyless setup aws|azure --issuer URL/`: AWS and Entra compare the issuer with the
 * tokens' iss byte for byte, so a trailing slash gets a note on stderr (the output is still
 * written: an issuer may end in '/'); without one, stderr stays empty.
 */
import { describe, expect, it } from 'vitest'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_0mx5slash0000001'
const offline = {
  aws: ['setup', 'aws', '--organization', ORG, '--role-name', 'deployer', '--project', 'prj_1'],
  azure: [
    ...['setup', 'azure', '--organization', ORG, '--project', 'prj_1', '--environment', 'env_1'],
    ...['--client-id', '11111111-2222-3333-4444-555555555555'],
  ],
}
const NOTE =
  "note: --issuer https://keyless.example.com/ ends in '/': it is compared with the tokens' iss byte for byte, so keyless's issuer (its --issuer-url; GET /api/v1/organizations/{id}/oidc) must end in '/' too, or no token matches\n"

const cases: ReadonlyArray<[keyof typeof offline, string, string]> = [
  ['aws', 'https://keyless.example.com/', NOTE],
  ['aws', 'https://keyless.example.com', ''],
  ['azure', 'https://keyless.example.com/', NOTE],
  ['azure', 'https://keyless.example.com', ''],
]

describe('setup offline with an issuer that ends in a slash', () => {
  it.each(cases)('setup %s --issuer %s', async (cloud, issuer, stderr) => {
    const r = await runTrustCli([...offline[cloud], '--issuer', issuer])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(stderr)
    expect(r.stdout).toContain(issuer.replace(/^https:\/\//u, cloud === 'aws' ? '' : 'https://'))
  })
})
