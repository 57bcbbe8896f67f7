/** `keyless setup gcp` offline (--issuer): the formats and the refusals with their exit codes. */
import { describe, expect, it } from 'vitest'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_0mx5p6vo1a2b3c4d'
const offline = [
  'setup',
  'gcp',
  '--organization',
  ORG,
  '--issuer',
  'https://keyless.example.com',
  '--project-number',
  '123456789012',
  '--pool-id',
  'keyless-pool',
  '--service-account',
  'deployer@my-proj.iam.gserviceaccount.com',
  '--project',
  'prj_one',
]

describe('setup gcp offline', () => {
  it('JSON: the provider pins the organization, the binding its principal set', async () => {
    const r = await runTrustCli([...offline, '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json.providers[0].oidc.allowedAudiences).toEqual([`gcp:${ORG}`])
    expect(json.providers[0].attributeCondition).toBe(`assertion.organizationId == '${ORG}'`)
    expect(json.bindings[0].member).toMatch(
      /\/keyless-pool\/attribute\.organization\/org_0mx5p6vo1a2b3c4d$/u,
    )
  })

  it('--per-environment binds each environment', async () => {
    const r = await runTrustCli([
      ...offline,
      '--environment',
      'env_a',
      '--environment',
      'env_b',
      '--per-environment',
      '--format',
      'gcloud',
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.match(/attribute\.environment\/env_[ab]'/gu)).toHaveLength(2)
  })

  it('without a service account: the pool and provider, no binding, and a note why (direct resource access)', async () => {
    const noAccount = offline.filter(
      (a, i) => a !== '--service-account' && offline[i - 1] !== '--service-account',
    )
    const r = await runTrustCli([...noAccount, '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json.providers).toHaveLength(1)
    expect(json.bindings).toEqual([])
    expect(r.stderr).toMatch(
      /^note: credential \(offline\) has no service account: no roles\/iam\.workloadIdentityUser binding is planned; its deployments use the federated identity directly \(direct resource access\)/u,
    )
    const tf = await runTrustCli([...noAccount, '--format', 'terraform'])
    expect(tf.code).toBe(0)
    expect(tf.stdout).toContain('google_iam_workload_identity_pool_provider')
    expect(tf.stdout).not.toContain('google_service_account_iam_member')
  })

  const refusals: ReadonlyArray<[string, string[], number, RegExp]> = [
    [
      'an unknown format',
      [...offline, '--format', 'yaml'],
      2,
      /--format must be one of terraform, gcloud, json/u,
    ],
    [
      'offline without the pool',
      ['setup', 'gcp', '--organization', ORG, '--issuer', 'https://k'],
      2,
      /give --project-number, --pool-id too/u,
    ],
    [
      'a subject over 127 bytes',
      [
        ...offline.slice(0, -1),
        `prj_${'p'.repeat(60)}`,
        '--subject-template',
        'org:{organizationId}:project:{projectId}:deployment:{deploymentId}',
      ],
      2,
      /bytes under the template .*Google keeps at most 127 bytes of google\.subject and refuses the token exchange\. The subject template org:\{organizationId\}:project:\{projectId\} fits; use --subject-template/u,
    ],
    ['--apply without a token', [...offline, '--apply'], 2, /--apply needs an IAM bearer token/u],
  ]
  it.each(refusals)('refuses %s', async (_name, args, code, message) => {
    const r = await runTrustCli(args, {})
    expect(r.code).toBe(code)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })
})
