/**
 * `keyless setup azure` offline (--issuer): the three formats, the refusals with their exit codes,
 * and the Terraform it writes is `terraform fmt` clean (checked with the real terraform).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { requireTerraform, TERRAFORM } from '../support/env.js'
import { runTrustCli } from './cli-harness.js'

const ORG = 'org_0mx5p6vo1a2b3c4d'
const APP = '11111111-2222-4333-8444-555555555555'
const PLAN_APP = '66666666-7777-4888-9999-aaaaaaaaaaaa'
const MI =
  '/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi'
const offline = [
  'setup',
  'azure',
  '--organization',
  ORG,
  '--issuer',
  'https://keyless.example.com',
  '--client-id',
  APP,
  '--project',
  'prj_one',
]
const envs = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => ['--environment', `env_${i}`]).flat()

describe('setup azure offline', () => {
  it('JSON: the FICs of the application, the audience azure:<organization>', async () => {
    const r = await runTrustCli([...offline, ...envs(2), '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const app = JSON.parse(r.stdout).applications[0]
    expect(app.count).toBe(2)
    expect(app.federatedIdentityCredentials.map((f: { subject: string }) => f.subject)).toEqual([
      `org:${ORG}:project:prj_one:environment:env_0`,
      `org:${ORG}:project:prj_one:environment:env_1`,
    ])
    expect(app.federatedIdentityCredentials[0].audiences).toEqual([`azure:${ORG}`])
  })

  const refusals: ReadonlyArray<[string, string[], number, RegExp]> = [
    [
      'an unknown format',
      [...envs(1), '--format', 'yaml'],
      2,
      /--format must be one of terraform, cli, json/u,
    ],
    [
      'no --client-id offline',
      ['setup', 'azure', '--organization', ORG, '--issuer', 'https://k'],
      2,
      /offline \(--issuer\), give --client-id too/u,
    ],
    [
      '--environment with two projects',
      [...offline, '--project', 'prj_two', ...envs(1)],
      2,
      /needs exactly one --project/u,
    ],
    [
      'an unknown deployment type',
      [...envs(1), '--deployment-type', 'apply'],
      2,
      /--deployment-type must be one of deploy, destroy, plan, task/u,
    ],
    [
      '21 environments',
      envs(21),
      2,
      /needs 21 federated identity credentials \(21 environments\); Entra allows at most 20 per application or managed identity\. The subject template org:\{organizationId\}:project:\{projectId\} fits \(1, one per project/u,
    ],
    [
      'a template with {deploymentId}',
      [...envs(1), '--subject-template', 'org:{organizationId}:{deploymentId}'],
      2,
      /has \{deploymentId\}/u,
    ],
    [
      '--apply without a token',
      [...envs(1), '--apply'],
      2,
      /--apply needs a Graph\/ARM bearer token/u,
    ],
    [
      '--managed-identity without --identity',
      [...envs(1), '--managed-identity'],
      2,
      /give the ARM resource id of each/u,
    ],
    [
      'a missing --ca-file',
      [...envs(1), '--apply', '--admin-token', 'test', '--ca-file', '/nonexistent/ca.pem'],
      2,
      /--ca-file \/nonexistent\/ca\.pem: ENOENT/u,
    ],
    [
      'no API key and no --issuer',
      ['setup', 'azure', '--organization', ORG],
      2,
      /needs an API key .* or --issuer to work offline/u,
    ],
  ]
  it.each(refusals)('refuses %s', async (_name, args, code, message) => {
    const r = await runTrustCli(args[0] === 'setup' ? args : [...offline, ...args], {})
    expect(r.stdout).toBe('')
    expect(r.code).toBe(code)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1)
  })
})

const shapes: ReadonlyArray<[string, string[]]> = [
  ['app registrations', envs(3)],
  ['with a plan client id', [...envs(2), '--plan-client-id', PLAN_APP]],
  ['managed identities', [...envs(2), '--managed-identity', '--identity', MI]],
  [
    'a template with phases',
    [
      ...envs(1),
      '--subject-template',
      'org:{organizationId}:{projectId}:{environmentId}:{runPhase}',
    ],
  ],
]

describe.skipIf(!existsSync(TERRAFORM) && !requireTerraform)('setup azure: terraform fmt', () => {
  it.each(shapes)('%s', async (_name, args) => {
    const r = await runTrustCli([...offline, ...args, '--format', 'terraform'])
    expect(r.code, r.stderr).toBe(0)
    const fmt = spawnSync(TERRAFORM, ['fmt', '-check', '-diff', '-'], {
      input: r.stdout,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        TF_CLI_CONFIG_FILE: '/dev/null',
      },
    })
    expect(fmt.stdout, fmt.stderr).toBe('')
    expect(fmt.status).toBe(0)
  })
})
