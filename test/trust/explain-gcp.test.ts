/**
 * `keyless explain --cloud gcp` runs the Google emulator's chain offline: for each case the
 * emulator's answer (STS, then generateAccessToken) and explain's decision agree, with the
 * provider and policy read live through the emulator's IAM and from files of IAM's JSON.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PN, SA, startGcpHarness, type GcpHarness } from '../emulator/gcp/harness.js'
import { runTrustCli } from './cli-harness.js'

let h: GcpHarness
let dir: string
beforeAll(async () => {
  h = await startGcpHarness()
  await h.setup()
  dir = mkdtempSync(join(tmpdir(), 'keyless-explain-gcp-'))
  const provider = await h.admin('GET', `/v1/${PN}`)
  writeFileSync(join(dir, 'provider.json'), provider.text)
  const policy = await h.admin('POST', `/v1/projects/-/serviceAccounts/${SA}:getIamPolicy`, {})
  writeFileSync(join(dir, 'policy.json'), policy.text)
})
afterAll(async () => {
  await h?.close()
})

/** The emulator's own answer: allowed when STS and generateAccessToken both say 200. */
async function emulator(token: string): Promise<'allowed' | 'denied'> {
  const sts = await h.exchange(token)
  if (sts.status !== 200) return 'denied'
  const g = await h.generate(String(sts.json.access_token))
  return g.status === 200 ? 'allowed' : 'denied'
}

const cases: ReadonlyArray<[string, Record<string, unknown>, 'allowed' | 'denied', RegExp]> = [
  ['the bound environment', {}, 'allowed', /./u],
  [
    'another environment: no binding',
    { environment: 'staging', sub: 'env:staging' },
    'denied',
    /attribute\.env\/prod|binding|principal/iu,
  ],
  ['a foreign audience', { aud: 'gcp:org_other' }, 'denied', /audience/iu],
]

describe('explain --cloud gcp agrees with the emulator', () => {
  it.each(cases)('%s', async (_name, claims, expected, why) => {
    const token = await h.mint(claims)
    expect(await emulator(token)).toBe(expected)
    const live = await runTrustCli([
      'explain',
      '--cloud',
      'gcp',
      '--token',
      token,
      '--provider',
      PN,
      '--service-account',
      SA,
      '--endpoint-url',
      h.origin,
      '--admin-token',
      'test',
      '--format',
      'json',
    ])
    expect(live.stderr).toBe('')
    expect(JSON.parse(live.stdout).decision).toBe(expected)
    expect(live.code).toBe(expected === 'allowed' ? 0 : 1)
    const offline = await runTrustCli([
      'explain',
      '--cloud',
      'gcp',
      '--token',
      token,
      '--provider-file',
      join(dir, 'provider.json'),
      '--service-account',
      SA,
      '--policy-file',
      join(dir, 'policy.json'),
    ])
    expect(offline.code).toBe(expected === 'allowed' ? 0 : 1)
    if (expected === 'denied') expect(offline.stdout).toMatch(why)
  })

  it.each([
    [['explain', '--cloud', 'gcp', '--token', 'x.y.z'], /give --provider-file/u],
    [['explain', '--cloud', 'gcp', '--token', 'x.y.z', '--provider', PN], /needs --admin-token/u],
  ])('usage: %j (exit 2)', async (args, message) => {
    const r = await runTrustCli(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})
