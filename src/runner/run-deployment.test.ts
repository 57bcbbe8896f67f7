import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { deploymentFixture } from '../../test/e2e/support/fixture.js'
import { systemClock } from '../shared/clock.js'
import type { AgentDeployment, LogLine } from '../shared/contracts/agent-api.js'
import { silentLogger } from '../shared/logger.js'
import { runDeployment } from './run-deployment.js'
import { findOnPath } from './steps.js'
import type { RunResult, StepReport } from './types.js'

const root = mkdtempSync(join(tmpdir(), 'keyless-runner-'))
afterAll(() => {
  execFileSync('rm', ['-rf', root])
})

/** A fake token: three base64url parts, so it looks like a JWT. */
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(
  JSON.stringify({ iss: 'http://127.0.0.1:1', aud: 'aws:org_test', sub: 'org:org_test' }),
).toString('base64url')}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`

let counter = 0
interface Run {
  result: RunResult
  lines: LogLine[]
  steps: StepReport[]
  text: string
  workDir: string
}

async function run(
  deployment: AgentDeployment,
  extra: {
    baseEnv?: Record<string, string>
    signal?: AbortSignal
    grace?: number
    stepsMayStart?: () => Promise<boolean>
    onMint?: () => void
  } = {},
): Promise<Run> {
  counter += 1
  const workDir = join(root, `work-${counter}`)
  const lines: LogLine[] = []
  const steps: StepReport[] = []
  const result = await runDeployment(
    deployment,
    {
      workDir,
      baseEnv: extra.baseEnv ?? { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: root },
      cancelGraceSeconds: extra.grace ?? 1,
      ...(extra.signal === undefined ? {} : { signal: extra.signal }),
    },
    {
      clock: systemClock,
      logger: silentLogger(),
      mintToken: () => {
        extra.onMint?.()
        return Promise.resolve({ token: TOKEN, expiresAt: '2030-01-01T00:00:00Z' })
      },
      log: (line) => lines.push(line),
      reportStep: (step) => steps.push(step),
      ...(extra.stepsMayStart === undefined ? {} : { stepsMayStart: extra.stepsMayStart }),
    },
  )
  return { result, lines, steps, text: lines.map((l) => l.text).join('\n'), workDir }
}

function custom(...runs: string[]): AgentDeployment['template'] {
  return {
    id: 'tpl_1',
    name: 'custom',
    type: 'custom',
    steps: runs.map((r, i) => ({ name: `s${i + 1}`, run: r })),
    path: null,
    repository: null,
  }
}

describe('runDeployment (custom templates, no AWS credential)', () => {
  it('runs the steps with the deployment environment, a minimal agent environment and masked secrets', async () => {
    const r = await run(
      deploymentFixture({
        template: custom(
          'echo "id=$KEYLESS_DEPLOYMENT_ID type=$KEYLESS_DEPLOYMENT_TYPE env=$KEYLESS_ENVIRONMENT_NAME"',
          'echo "token=$KEYLESS_OIDC_TOKEN alias=$ENV0_OIDC_TOKEN"',
          'test "$(cat "$KEYLESS_OIDC_TOKEN_FILE")" = "$KEYLESS_OIDC_TOKEN" && echo file-ok',
          'echo "agent=${KEYLESS_AGENT_TOKEN:-none} aws=${AWS_ACCESS_KEY_ID:-none}"',
          'echo "plain=$PLAIN secret=$SECRET_VAR"; printf "%s" "$SECRET_VAR" | cut -c1-5',
        ),
        variables: [
          { name: 'PLAIN', value: 'visible-value', sensitive: false },
          { name: 'SECRET_VAR', value: 'hunter2-very-secret', sensitive: true },
        ],
      }),
      {
        baseEnv: {
          PATH: '/usr/bin:/bin',
          KEYLESS_AGENT_TOKEN: 'agent-secret-token',
          AWS_ACCESS_KEY_ID: 'AKIAAGENTOWNKEY',
        },
      },
    )
    expect(r.result.status).toBe('succeeded')
    expect(r.text).toContain('id=dep_test0000000000001 type=deploy env=staging')
    expect(r.text).toContain('token=*** alias=***')
    expect(r.text).toContain('file-ok')
    expect(r.text).toContain('agent=none aws=none')
    expect(r.text).toContain('plain=visible-value secret=***')
    expect(r.text).not.toContain(TOKEN)
    expect(r.text).not.toContain('hunter2-very-secret')
    expect(r.steps.filter((s) => s.status === 'succeeded')).toHaveLength(5)
    // Said before the steps: they get the token but no cloud credentials, and how to assign one.
    expect(r.text).toMatch(
      /no cloud credential is assigned to project \S+: steps get the OIDC token \(KEYLESS_OIDC_TOKEN\) but no AWS, Azure or GCP credentials \(assign one: PUT \/api\/v1\/projects\/prj_\S+\/credentials\/\{credentialId\}\)/u,
    )
    expect(r.text.indexOf('no cloud credential')).toBeLessThan(r.text.indexOf('id=dep_'))
    // The token file is removed when the deployment ends.
    expect(existsSync(join(r.workDir, 'oidc-token'))).toBe(false)
  })

  it('fails on the first failing step, skips the rest and says which step and how', async () => {
    const r = await run(deploymentFixture({ template: custom('echo one', 'exit 3', 'echo never') }))
    expect(r.result.status).toBe('failed')
    expect(r.result.message).toBe('step 2 (s2) exited with code 3')
    expect(r.text).not.toContain('never')
    expect(r.steps.at(-1)).toEqual({ index: 2, name: 's3', status: 'skipped' })
  })

  it('cancels: SIGTERM to the step process group, then SIGKILL after the grace', async () => {
    const controller = new AbortController()
    const started = run(
      deploymentFixture({
        template: custom(`trap '' TERM; echo started; (sleep 30; echo child-survived) & sleep 30`),
      }),
      { signal: controller.signal, grace: 0.3 },
    )
    await new Promise((r) => setTimeout(r, 500))
    controller.abort()
    const r = await started
    expect(r.result.status).toBe('cancelled')
    expect(r.text).toContain('started')
    expect(r.text).not.toContain('child-survived')
  })

  it('prepares and mints while stepsMayStart is pending; the first step starts once it says yes', async () => {
    const marker = join(root, 'may-start-yes')
    const seen: Array<{ minted: boolean; ran: boolean }> = []
    let minted = false
    const r = await run(deploymentFixture({ template: custom(`touch '${marker}'`) }), {
      onMint: () => (minted = true),
      stepsMayStart: () => {
        seen.push({ minted, ran: existsSync(marker) })
        return Promise.resolve(true)
      },
    })
    expect(seen).toEqual([{ minted: true, ran: false }])
    expect(r.result.status).toBe('succeeded')
    expect(existsSync(marker)).toBe(true)
  })

  it('runs no step when stepsMayStart says no, and ends cancelled', async () => {
    const marker = join(root, 'may-start-no')
    const r = await run(deploymentFixture({ template: custom(`touch '${marker}'`) }), {
      stepsMayStart: () => Promise.resolve(false),
    })
    expect(r.result.status).toBe('cancelled')
    expect(r.steps).toEqual([])
    expect(existsSync(marker)).toBe(false)
  })

  it('fails with the role resolution error before anything runs', async () => {
    const r = await run(
      deploymentFixture({
        credentialError:
          'the role ARN from variable:KEYLESS_AWS_ROLE_ARN is not an IAM role ARN: "nope"',
      }),
    )
    expect(r.result.status).toBe('failed')
    expect(r.result.message).toMatch(/KEYLESS_AWS_ROLE_ARN is not an IAM role ARN/)
  })

  it('runs a template from a local directory (copied, the original untouched)', async () => {
    const dir = join(root, 'local-template')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'main.sh'), 'echo from-local-template; touch written-here\n')
    const r = await run(
      deploymentFixture({
        template: { ...custom('sh main.sh'), path: dir },
      }),
    )
    expect(r.result.status).toBe('succeeded')
    expect(r.text).toContain('from-local-template')
    expect(existsSync(join(dir, 'written-here'))).toBe(false)
  })

  it('clones a template from a git repository at a ref, with the system git', async () => {
    const repo = join(root, 'repo')
    mkdirSync(join(repo, 'infra'), { recursive: true })
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', repo, ...args], {
        env: {
          PATH: '/usr/bin:/bin',
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      }).toString()
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'infra', 'run.sh'), 'echo version-one\n')
    git('add', '.')
    git('commit', '-q', '-m', 'one')
    git('tag', 'v1')
    writeFileSync(join(repo, 'infra', 'run.sh'), 'echo version-two\n')
    git('commit', '-q', '-am', 'two')
    const template = (ref: string | null): AgentDeployment['template'] => ({
      ...custom('sh run.sh'),
      path: 'infra',
      repository: { url: `file://${repo}`, ref },
    })
    const atTag = await run(deploymentFixture({ template: template('v1') }))
    expect(atTag.result.status).toBe('succeeded')
    expect(atTag.text).toContain('version-one')
    const atHead = await run(deploymentFixture({ template: template(null) }))
    expect(atHead.text).toContain('version-two')
    const first = git('rev-list', '--max-parents=0', 'HEAD').trim()
    const atCommit = await run(deploymentFixture({ template: template(first) }))
    expect(atCommit.result.status).toBe('succeeded')
    expect(atCommit.text).toContain('version-one')
  })
})

describe('runDeployment (terraform / opentofu with a stand-in executable)', () => {
  // Neither terraform nor tofu can be installed on the build machines: a shell script named like
  // the binary records its arguments and environment, which is what the runner controls.
  const bin = join(root, 'bin')
  const record = join(root, 'tf-calls.txt')
  mkdirSync(bin, { recursive: true })
  for (const name of ['terraform', 'tofu']) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\necho "${name} $* | TF_IN_AUTOMATION=$TF_IN_AUTOMATION TF_INPUT=$TF_INPUT cwd=$(basename "$PWD")" >> ${record}\n` +
        `case "$1" in plan) for a in "$@"; do case "$a" in -out=*) echo plan > "\${a#-out=}";; esac; done;; apply) test -f "$4" || exit 9;; esac\n`,
    )
    chmodSync(join(bin, name), 0o755)
  }
  const tf = (type: 'terraform' | 'opentofu'): AgentDeployment['template'] => ({
    ...custom(),
    type,
    steps: [{ name: 'extra', run: 'echo task-step' }],
    // The state backend has its own tests (state-backend.test.ts, test/state).
    stateBackend: 'template',
  })
  const calls = (): string[] => {
    const lines = readFileSync(record, 'utf8').trim().split('\n')
    writeFileSync(record, '')
    return lines.map((l) =>
      l.replace(/-out=\S+/u, '-out=PLAN').replace(/ \S+keyless\.tfplan/u, ' PLAN'),
    )
  }

  it.each([
    [
      'deploy',
      'terraform',
      [
        'terraform init -input=false -no-color',
        'terraform plan -input=false -no-color -out=PLAN',
        'terraform show -json -no-color PLAN',
        'terraform apply -input=false -no-color PLAN',
      ],
    ],
    [
      'destroy',
      'terraform',
      [
        'terraform init -input=false -no-color',
        'terraform plan -input=false -no-color -destroy -out=PLAN',
        'terraform show -json -no-color PLAN',
        'terraform apply -input=false -no-color PLAN',
      ],
    ],
    [
      'plan',
      'opentofu',
      [
        'tofu init -input=false -no-color',
        'tofu plan -input=false -no-color -out=PLAN',
        'tofu show -json -no-color PLAN',
      ],
    ],
    ['task', 'opentofu', ['tofu init -input=false -no-color']],
  ] as const)('%s with %s', async (type, templateType, expected) => {
    writeFileSync(record, '')
    const r = await run(deploymentFixture({ type, template: tf(templateType) }), {
      baseEnv: { PATH: `${bin}:/usr/bin:/bin` },
    })
    expect(r.result.status).toBe('succeeded')
    const seen = calls()
    expect(seen.map((l) => l.split(' | ')[0])).toEqual(expected)
    for (const line of seen) expect(line).toContain('TF_IN_AUTOMATION=1 TF_INPUT=0 cwd=template')
    if (type === 'task') expect(r.text).toContain('task-step')
  })

  it('says clearly when the binary is not on the PATH', async () => {
    const r = await run(deploymentFixture({ template: tf('terraform') }), {
      baseEnv: { PATH: '/nonexistent' },
    })
    expect(r.result.status).toBe('failed')
    expect(r.result.message).toMatch(
      /^terraform was not found on the agent's PATH \(\/nonexistent\)/,
    )
  })
})

// When a real Terraform is on this machine's PATH, run it too: `terraform_data` is built into
// Terraform (no provider download), so init, plan -out and apply of that plan work offline.
const realTerraform = findOnPath('terraform', '/usr/local/bin:/usr/bin:/bin')
describe.skipIf(realTerraform === undefined)('runDeployment with a real terraform', () => {
  it('init, plan -out, apply of the plan file', async () => {
    const dir = join(root, 'tf-real')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'main.tf'),
      'resource "terraform_data" "demo" {\n  input = "hello-from-terraform"\n}\noutput "demo" {\n  value = terraform_data.demo.output\n}\n',
    )
    const r = await run(
      deploymentFixture({
        template: { ...custom(), type: 'terraform', path: dir, stateBackend: 'template' },
      }),
      { baseEnv: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: root, CHECKPOINT_DISABLE: '1' } },
    )
    expect(r.result.status, r.text).toBe('succeeded')
    expect(r.text).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.')
    expect(r.text).toContain('demo = "hello-from-terraform"')
  })
})
