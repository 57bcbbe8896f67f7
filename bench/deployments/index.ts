/**
 * Deployment overhead (issue 5 point 9): from "queued" to "first step running with credentials",
 * and from "last step ended" to "succeeded", over 200 deployments whose one step is `true`, one
 * after the other, on loopback. Control plane (SQLite), emulator and agent run in this process
 * with their real HTTP servers; the step is a real process.
 */
import type { RunResult } from '../../src/runner/index.js'
import { benchAgent, startDeployStack } from '../support/deploy-stack.js'
import { quantile } from '../support/quantile.js'
import type { BenchSection } from '../types.js'

const N = 200
const WARMUP = 10

interface Sample {
  queueClaim: number
  startReport: number
  tokenMint: number
  stsExchange: number
  processStart: number
  toFirstStep: number
  toSucceeded: number
}

const ms = (v: number): string => `${v.toFixed(1)} ms`

export async function run(): Promise<BenchSection> {
  const stack = await startDeployStack('deploy')
  const { api, ids } = stack
  const template = await api('POST', `/api/v1/organizations/${ids.org}/templates`, {
    name: 'noop',
    type: 'custom',
    steps: [{ name: 'noop', run: 'true' }],
  })
  const env = await api('POST', `/api/v1/projects/${ids.project}/environments`, {
    name: 'e',
    templateId: template.id,
  })
  const results = new Map<string, (r: RunResult) => void>()
  const agent = benchAgent(stack, { PATH: '/usr/bin:/bin' }, (e) => {
    if (e.type === 'finished') results.get(e.deploymentId)?.(e.result)
  })
  agent.start()

  const samples: Sample[] = []
  try {
    for (let i = 0; i < N + WARMUP; i++) {
      const created = await api('POST', `/api/v1/environments/${env.id}/deployments`, {
        type: 'deploy',
      })
      const result = await new Promise<RunResult>((resolve) => results.set(created.id, resolve))
      results.delete(created.id)
      let d = await api('GET', `/api/v1/deployments/${created.id}`)
      while (d.status !== 'succeeded') {
        if (d.status === 'failed' || d.status === 'cancelled')
          throw new Error(`bench deployment ${d.id} ${d.status}: ${d.message}`)
        await new Promise((r) => setTimeout(r, 1))
        d = await api('GET', `/api/v1/deployments/${created.id}`)
      }
      if (i < WARMUP) continue
      const t = result.timings
      const createdAt = Date.parse(d.createdAt)
      const claimedAt = Date.parse(d.claimedAt)
      const startedAt = Date.parse(d.startedAt)
      samples.push({
        queueClaim: claimedAt - createdAt,
        startReport: startedAt - claimedAt,
        tokenMint: t.tokenMintMs ?? 0,
        stsExchange: t.stsExchangeMs ?? 0,
        processStart: t.processStartMs ?? 0,
        toFirstStep: (t.firstStepStartedAt ?? 0) - createdAt,
        toSucceeded: Date.parse(d.finishedAt) - (t.lastStepEndedAt ?? 0),
      })
    }
  } finally {
    await agent.stop({ cancelRunning: true })
    await stack.close()
  }

  const col = (k: keyof Sample): number[] => samples.map((s) => s[k])
  const total = samples.map((s) => s.toFirstStep + s.toSucceeded)
  const rows: Array<[string, keyof Sample | null, string]> = [
    ['queued → claimed (long poll wake-up, claim)', 'queueClaim', 'queue/claim'],
    ['claimed → running reported', 'startReport', 'queue/claim'],
    ['token mint (agent API round trip)', 'tokenMint', 'token mint'],
    ['AssumeRoleWithWebIdentity (SDK → emulator)', 'stsExchange', 'STS exchange'],
    ['spawn → step process running', 'processStart', 'process start'],
    ['**queued → first step running with credentials**', 'toFirstStep', 'total'],
    ['**last step ended → succeeded**', 'toSucceeded', 'total'],
  ]
  const median = quantile(total, 0.5)
  return {
    title: 'Deployment overhead (queued → step running → succeeded)',
    notes: [
      `${N} deployments (after ${WARMUP} warm-up runs), one at a time, of a \`custom\` template whose one step is \`true\`, with an AWS credential in refresh mode (the default): the control plane (SQLite), the AWS emulator and one agent run in one process with their real HTTP servers on loopback; the step is a real process. Times come from the deployment's \`createdAt\`/\`claimedAt\`/\`startedAt\`/\`finishedAt\` and the runner's own phase timings; the rest of "queued → first step" is the work directory, the loopback credential endpoint and bookkeeping.`,
    ],
    columns: ['phase', 'part of', 'median', 'p99'],
    rows: [
      ...rows.map(([label, key, part]) =>
        key === null
          ? [label, part, '', '']
          : [label, part, ms(quantile(col(key), 0.5)), ms(quantile(col(key), 0.99))],
      ),
      ['**total overhead** (both)', 'total', ms(median), ms(quantile(total, 0.99))],
    ],
    targets: [
      {
        target: 'median total overhead ≤ 150 ms',
        measured: ms(median),
        met: median <= 150,
      },
    ],
  }
}
