/**
 * Policy engine throughput: evaluations per second on one core for a typical trust policy
 * (aud StringEquals + sub StringLike + two aws:RequestTag conditions, one Allow and one Deny),
 * side by side with @cloud-copilot/iam-simulate (AGPL, devDependency) on the same cases in the
 * same run. The issuer is `accounts.google.com` because iam-simulate only evaluates the
 * `:aud`/`:sub` keys of the issuers its data knows; both engines must agree on every case.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate'
import {
  evaluate,
  evaluateWebIdentityTrust,
  parsePolicy,
  type EvaluationRequest,
  type Policy,
} from '../../src/policy/index.js'
import { loadavg } from 'node:os'
import { cpuUsage } from 'node:process'
import type { BenchSection } from '../types.js'

const ACCOUNT = '111122223333'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`
const HOST = 'accounts.google.com'
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}`
const ACTION = 'sts:AssumeRoleWithWebIdentity'

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowDeployments',
      Effect: 'Allow',
      Principal: { Federated: PROVIDER },
      Action: ACTION,
      Condition: {
        StringEquals: {
          [`${HOST}:aud`]: 'aws:org-1',
          'aws:RequestTag/organizationId': 'org-1',
        },
        StringLike: {
          [`${HOST}:sub`]: 'org:org-1:project:p1:*',
          'aws:RequestTag/deploymentType': ['deploy', 'destroy', 'plan'],
        },
      },
    },
    {
      Sid: 'DenyTaskRuns',
      Effect: 'Deny',
      Principal: { Federated: PROVIDER },
      Action: 'sts:*',
      Condition: { StringLike: { [`${HOST}:sub`]: '*:type:task' } },
    },
  ],
}

function context(sub: string, type: string): Record<string, string | string[]> {
  return {
    [`${HOST}:aud`]: 'aws:org-1',
    [`${HOST}:sub`]: sub,
    'aws:RequestTag/organizationId': 'org-1',
    'aws:RequestTag/deploymentType': type,
    'aws:TagKeys': ['organizationId', 'deploymentType'],
    'sts:RoleSessionName': 'dep-42',
  }
}

const cases: ReadonlyArray<{
  name: string
  ctx: Record<string, string | string[]>
  expected: string
}> = [
  {
    name: 'allowed',
    ctx: context('org:org-1:project:p1:environment:e1:type:deploy', 'deploy'),
    expected: 'Allowed',
  },
  {
    name: 'wrong project',
    ctx: context('org:org-1:project:p2:environment:e1:type:deploy', 'deploy'),
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'denied task',
    ctx: context('org:org-1:project:p1:environment:e1:type:task', 'deploy'),
    expected: 'ExplicitlyDenied',
  },
]

function simulation(ctx: Record<string, string | string[]>): Simulation {
  return {
    request: {
      principal: PROVIDER,
      action: ACTION,
      resource: { resource: ROLE, accountId: ACCOUNT },
      contextVariables: ctx,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trust,
  }
}

/** CPU milliseconds used by this process (user + system): "one core" even on a busy machine. */
function cpuMs(): number {
  const u = cpuUsage()
  return (u.user + u.system) / 1000
}

/** Calls `fn` for about `ms` CPU milliseconds (after a warm-up); returns calls per CPU second. */
function rate(fn: (i: number) => unknown, ms: number): number {
  for (let i = 0; i < 5000; i++) fn(i)
  let n = 0
  const start = cpuMs()
  let now = start
  while (now - start < ms) {
    for (let i = 0; i < 1024; i++) fn(n + i)
    n += 1024
    now = cpuMs()
  }
  return (n * 1000) / (now - start)
}

async function rateAsync(fn: (i: number) => Promise<unknown>, ms: number): Promise<number> {
  for (let i = 0; i < 50; i++) await fn(i)
  let n = 0
  const start = cpuMs()
  let now = start
  while (now - start < ms) {
    await fn(n++)
    now = cpuMs()
  }
  return (n * 1000) / (now - start)
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')

export async function run(): Promise<BenchSection> {
  const parsed = parsePolicy(JSON.stringify(trust, null, 2))
  if (!parsed.ok) throw new Error(parsed.error.message)
  const policy: Policy = parsed.policy
  const principal = { type: 'Federated', id: PROVIDER } as const
  const requests: EvaluationRequest[] = cases.map((c) => ({
    principal,
    action: ACTION,
    context: c.ctx,
  }))
  const sims = cases.map((c) => simulation(c.ctx))

  // Both engines must decide every case as expected before their speed means anything.
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!
    const ours = evaluate(requests[i]!, [policy]).decision
    const theirs = await runSimulation(sims[i]!, {})
    const oracle = theirs.resultType === 'single' ? theirs.overallResult : theirs.resultType
    const ignored = theirs.resultType === 'single' ? (theirs.result.ignoredContextKeys ?? []) : []
    if (ours !== c.expected || oracle !== c.expected || ignored.length > 0)
      throw new Error(
        `bench case ${c.name}: keyless ${ours}, iam-simulate ${oracle}, ignored ${ignored.join(',')}`,
      )
  }

  const MS = 1500
  const ourRate = rate((i) => evaluate(requests[i % 3]!, [policy]), MS)
  const input = (i: number) => ({
    trustPolicy: policy,
    roleArn: ROLE,
    accountId: ACCOUNT,
    provider: { arn: PROVIDER, url: HOST },
    claims: { aud: 'aws:org-1', sub: cases[i % 3]!.ctx[`${HOST}:sub`] as string },
    roleSessionName: 'dep-42',
    sessionTags: [
      { key: 'organizationId', value: 'org-1' },
      { key: 'deploymentType', value: 'deploy' },
    ],
    transitiveTagKeys: [],
    requestTime: new Date(1_764_000_000_000),
  })
  const inputs = [0, 1, 2].map(input)
  const webRate = rate((i) => evaluateWebIdentityTrust(inputs[i % 3]!), MS)
  const best = await rateAsync((i) => runSimulation(sims[i % 3]!, {}), MS)
  const ratio = ourRate / best

  return {
    title: 'Policy engine: trust-policy evaluations per second (one core)',
    notes: [
      'Trust policy: Allow with `:aud` StringEquals, `:sub` StringLike and two `aws:RequestTag/*` conditions, plus one Deny on `:sub`; ' +
        'three requests in rotation (allowed, implicitly denied, explicitly denied). Both engines decide all three the same way ' +
        '(checked before timing). keyless: `evaluate(request, [policy])` on a parsed policy (compiled once, cached); ' +
        'iam-simulate 0.1.173: `runSimulation` (its sync `runUnsafeSimulation` throws on a resource policy in this version, ' +
        'so it cannot run a trust policy).',
      'Rates are calls per CPU-second of this process (`process.cpuUsage`), so they mean "one core" even when the ' +
        `machine is shared; the process is single-threaded. Load average during this run: ${loadavg()[0]?.toFixed(1) ?? '?'}.`,
      '`evaluateWebIdentityTrust` also builds the AWS request context from the claims and evaluates two actions ' +
        '(`sts:AssumeRoleWithWebIdentity` and `sts:TagSession`, since the token carries session tags).',
    ],
    columns: ['subject', 'evaluations/s', 'vs iam-simulate'],
    rows: [
      ['keyless `evaluate`', fmt(ourRate), `${ratio.toFixed(1)}×`],
      [
        'keyless `evaluateWebIdentityTrust` (context + 2 actions)',
        fmt(webRate),
        `${(webRate / best).toFixed(1)}×`,
      ],
      ['iam-simulate `runSimulation`', fmt(best), '1.0×'],
    ],
    targets: [
      { target: '≥ 1,000,000 evaluations/s', measured: fmt(ourRate), met: ourRate >= 1_000_000 },
      { target: '≥ 10× iam-simulate', measured: `${ratio.toFixed(1)}×`, met: ratio >= 10 },
    ],
  }
}
