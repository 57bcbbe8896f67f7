import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../src/shared/clock.js'
import { keylessArgs, REPO_ROOT } from '../support/cli.js'
import { runTrustCli } from './cli-harness.js'

const lintDir = join(REPO_ROOT, 'test', 'fixtures', 'trust', 'lint')
const fixture = (name: string): string => join(lintDir, name)
const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0))
const now = Math.floor(clock.now().getTime() / 1000)
const seg = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const ORG = 'org_a1b2c3d4e5f6g7h8'
const jwt = (patch: Record<string, unknown> = {}): string =>
  `${seg({ alg: 'RS256', kid: 'k1' })}.${seg({
    iss: 'https://keyless.example.com',
    aud: `aws:${ORG}`,
    sub: `org:${ORG}:project:prj_a1b2c3d4e5f6g7h8:environment:env_a1b2c3d4e5f6g7h8:type:deploy`,
    iat: now - 60,
    exp: now + 540,
    deploymentId: 'dep_1',
    'https://aws.amazon.com/tags': { principal_tags: { organizationId: [ORG] } },
    ...patch,
  })}.c2ln`

describe('keyless lint', () => {
  beforeAll(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test')
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test')
  })

  it('exits 1 on an error finding, 0 when clean', async () => {
    const bad = await runTrustCli(['lint', fixture('no-sub.json')])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('L01')
    const good = await runTrustCli([
      'lint',
      fixture('clean-environment-role.json'),
      '--format',
      'json',
    ])
    expect(good.code).toBe(0)
    expect(JSON.parse(good.stdout)).toEqual({
      findings: [],
      summary: { errors: 0, warnings: 0, infos: 0 },
    })
  })

  it('exits 0 with only warnings, reads stdin, and takes --duration for L14', async () => {
    const r = await runTrustCli(['lint', '-', '--duration', '7200', '--format', 'json'], {
      stdin: await import('node:fs').then((fs) =>
        fs.readFileSync(fixture('clean-environment-role.json')),
      ),
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['L14'])
  })

  it('SARIF output', async () => {
    const r = await runTrustCli(['lint', fixture('org-only.json'), '--format', 'sarif'])
    expect(JSON.parse(r.stdout).version).toBe('2.1.0')
  })

  it.each([
    [['lint', '-'], '{not json', /^keyless: not JSON/mu],
    [['lint', '-'], '{"a": 1}', /^keyless: not a policy/mu],
    [['lint', '-'], '\u0000\u0001binary', /binary/u],
    [['lint', join(lintDir, 'nope.json')], '', /cannot read .*: no such file/u],
    [['lint'], '', /give a trust policy FILE/u],
    [['lint', fixture('no-sub.json'), '--format', 'xml'], '', /--format must be/u],
    [['lint', fixture('no-sub.json'), '--duration', 'ten'], '', /--duration must be an integer/u],
    [
      [
        'lint',
        '--role-arn',
        'arn:aws:iam::123456789012:role/x',
        '--endpoint-url',
        'http://127.0.0.1:1',
      ],
      '',
      /cannot reach http:\/\/127\.0\.0\.1:1/u,
    ],
    [['token', 'decode', 'not-a-jwt'], '', /not a JWT/u],
    [
      ['token', 'decode', '@/nonexistent/token.jwt'],
      '',
      /cannot read \/nonexistent\/token\.jwt: no such file/u,
    ],
    [
      [
        'explain',
        '--token',
        jwt(),
        '--role-arn',
        'arn:aws:iam::123456789012:role/x',
        '--endpoint-url',
        'http://127.0.0.1:1',
      ],
      '',
      /GetRole x: cannot reach http:\/\/127\.0\.0\.1:1/u,
    ],
    [
      [
        'setup',
        'aws',
        '--organization',
        ORG,
        '--role-name',
        'r',
        '--issuer',
        'https://x',
        '--apply',
        '--account-id',
        '123456789012',
        '--endpoint-url',
        'http://127.0.0.1:1',
      ],
      '',
      /setup --apply: cannot reach http:\/\/127\.0\.0\.1:1/u,
    ],
    [['explain', '--token', 'a.b'], '', /give --trust-policy FILE, or --role-arn/u],
    [['explain', '--token', 'abc', '--trust-policy', fixture('no-sub.json')], '', /not a JWT/u],
    [
      [
        'setup',
        'aws',
        '--organization',
        ORG,
        '--role-name',
        'r',
        '--format',
        'pulumi',
        '--issuer',
        'https://x',
      ],
      '',
      /--format must be one of/u,
    ],
    [
      ['thumbprint', 'https://127.0.0.1:1', '--timeout-ms', '1000'],
      '',
      /cannot read the discovery document/u,
    ],
  ])('bad input %j exits 2 with one clear line', async (args, stdin, message) => {
    const r = await runTrustCli(args, { stdin })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /u)
  })
})

it('an unreachable control plane exits 5 (upstream_unreachable, docs/errors.md)', async () => {
  const r = await runTrustCli([
    ...['preflight', '--environment', 'env_1', '--api-key', 'k'],
    ...['--server', 'http://127.0.0.1:1'],
  ])
  expect(r.stderr).toMatch(/cannot reach the keyless server at http:\/\/127\.0\.0\.1:1/u)
  expect(r.code).toBe(5)
})

describe('keyless token decode and explain', () => {
  it('decodes with times in words', async () => {
    const r = await runTrustCli(['token', 'decode', jwt()], { clock })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('expires in 9 min')
    expect(r.stdout).toContain('organizationId = org_a1b2c3d4e5f6g7h8')
    const json = await runTrustCli(['token', 'decode', '-', '--format', 'json'], {
      stdin: jwt(),
      clock,
    })
    expect(JSON.parse(json.stdout).signatureChecked).toBe(false)
  })

  it('explains allowed (exit 0) and denied (exit 1) against a policy file', async () => {
    const ok = await runTrustCli(
      ['explain', '--token', jwt(), '--trust-policy', fixture('clean-environment-role.json')],
      { clock },
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(
      /Result: allowed; STS returns credentials for arn:aws:sts::123456789012:assumed-role\/ROLE\/dep_1/u,
    )
    const denied = await runTrustCli(
      [
        'explain',
        '--token',
        jwt({ sub: `org:${ORG}:project:prj_other:environment:env_x:type:deploy` }),
        '--trust-policy',
        fixture('clean-environment-role.json'),
        '--format',
        'json',
      ],
      { clock },
    )
    expect(denied.code).toBe(1)
    expect(JSON.parse(denied.stdout).awsError.code).toBe('AccessDenied')
    const long = await runTrustCli(
      [
        'explain',
        '--token',
        jwt(),
        '--trust-policy',
        fixture('clean-environment-role.json'),
        '--duration',
        '7200',
      ],
      { clock },
    )
    expect(long.stdout).toContain(
      'STS answers ValidationError (HTTP 400): The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    )
  })
})

describe('keyless setup aws (offline)', () => {
  it('prints Terraform and notes lint findings on stderr', async () => {
    const r = await runTrustCli([
      'setup',
      'aws',
      '--organization',
      ORG,
      '--role-name',
      'deploy',
      '--issuer',
      'https://keyless.example.com',
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('resource "aws_iam_openid_connect_provider" "keyless"')
    expect(r.stderr).toContain('L12') // organization-wide: the blast-radius warning
    const p = await runTrustCli([
      'setup',
      'aws',
      '--organization',
      ORG,
      '--project',
      'prj_1',
      '--role-name',
      'deploy',
      '--issuer',
      'https://keyless.example.com',
      '--format',
      'cloudformation',
    ])
    expect(p.stderr).toBe('')
    expect(p.stdout).toContain('AWS::IAM::OIDCProvider')
  })
})

describe('the real binary', () => {
  it('prints one line and exits 2 on garbage, never a stack trace', () => {
    const r = spawnSync(process.execPath, [...keylessArgs, 'lint', '-'], {
      input: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]),
      encoding: 'utf8',
    })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^keyless: /u)
    const e = spawnSync(
      process.execPath,
      [...keylessArgs, 'lint', join(lintDir, 'no-sub.json'), '--format', 'json'],
      { encoding: 'utf8' },
    )
    expect(e.status).toBe(1)
    expect(JSON.parse(e.stdout).summary.errors).toBe(1)
  })
})
