/**
 * `keyless setup aws --format terraform` is `terraform fmt` clean, checked with the real terraform
 * (`terraform fmt -check -`) for the shapes the generator produces.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { generateSetup, type SetupInput } from '../../src/trust/index.js'
import { requireTerraform, TERRAFORM } from '../support/env.js'

const ORG = 'org_0mx5p6vo1a2b3c'
const base: SetupInput = {
  organizationId: ORG,
  issuer: 'https://keyless.example.com',
  audience: `aws:${ORG}`,
  sessionTags: true,
  roleName: 'keyless-deploy',
}

const cases: ReadonlyArray<[string, Partial<SetupInput>]> = [
  ['the organization-wide role', {}],
  ['split phases: a plan role and an apply role', { splitPhases: true, projectIds: ['prj_one'] }],
  [
    'thumbprints, projects and environments',
    {
      thumbprints: ['a'.repeat(40), 'b'.repeat(40)],
      projectIds: ['prj_one', 'prj_two'],
      environments: [{ environmentId: 'env_x', projectId: 'prj_three' }],
    },
  ],
  [
    'deployment types, no session tags, a long session',
    {
      deploymentTypes: ['plan', 'deploy'],
      sessionTags: false,
      maxSessionDuration: 43200,
    },
  ],
  [
    'a previous subject template (dual accept) and an issuer with a path',
    {
      issuer: 'https://keyless.example.com/tenant/a',
      previousSubjectTemplate:
        'org:{organizationName}:project:{projectName}:environment:{environmentName}',
      roleName: '9-role.with.dots',
    },
  ],
]

describe.skipIf(!existsSync(TERRAFORM) && !requireTerraform)('setup aws: terraform fmt', () => {
  it.each(cases)('%s', (_name, patch) => {
    const text = generateSetup({ ...base, ...patch }, 'terraform')
    const fmt = spawnSync(TERRAFORM, ['fmt', '-check', '-diff', '-'], {
      input: text,
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
