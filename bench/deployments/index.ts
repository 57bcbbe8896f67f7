/**
 * Deployment overhead (issue 5 point 9): from "queued" to "first step running with credentials",
 * and from "last step ended" to "succeeded", over 200 deployments whose one step is `true`, one
 * after the other, on loopback. Control plane (SQLite), emulator and agent run in this process
 * with their real HTTP servers; the step is a real process.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent } from '../../src/agent/index.js'
import type { RunResult } from '../../src/runner/index.js'
import { startControlPlane } from '../../src/cli/control-plane.js'
import { buildEmulator } from '../../src/emulator/index.js'
import { systemClock } from '../../src/shared/clock.js'
import { loadConfig, serverOptions } from '../../src/shared/config/index.js'
import { silentLogger } from '../../src/shared/logger.js'
import { applySetup, planSetup } from '../../src/trust/index.js'
import type { BenchSection } from '../types.js'

const N = 200
const WARMUP = 10
const ACCOUNT = '123456789012'
const KEYS = { accessKeyId: 'test', secretAccessKey: 'test' }

interface Sample {
  queueClaim: number
  startReport: number
  tokenMint: number
  stsExchange: number
  processStart: number
  toFirstStep: number
  toSucceeded: number
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i] ?? Number.NaN
}

const ms = (v: number): string => `${v.toFixed(1)} ms`

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-deploy-'))
  const adminKey = `kl_bench_owner_${Date.now()}_abcdefghijklmnop`
  const logger = silentLogger()
  const plane = await startControlPlane(
    loadConfig(serverOptions, {
      flags: { port: 0, dataDir: join(dir, 'data'), adminKey, logLevel: 'silent' },
      env: {},
    }),
    { logger, out: null, webRoot: null },
  )
  const emulator = await buildEmulator({ accountId: ACCOUNT, ...KEYS }, { logger })
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const address = emulator.server.address()
  const emulatorUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely read JSON answers
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${plane.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return text === '' ? undefined : JSON.parse(text)
  }

  const org = await api('POST', '/api/v1/organizations', { name: 'bench' })
  const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
  const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
    name: 'noop',
    type: 'custom',
    steps: [{ name: 'noop', run: 'true' }],
  })
  const env = await api('POST', `/api/v1/projects/${project.id}/environments`, {
    name: 'e',
    templateId: template.id,
  })
  const credential = await api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    name: 'c',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/bench`,
    stsEndpoint: emulatorUrl,
  })
  await api('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
  await applySetup(
    planSetup({
      organizationId: org.id,
      issuer: plane.issuer,
      audience: org.audience,
      sessionTags: true,
      roleName: 'bench',
      accountId: ACCOUNT,
    }),
    ACCOUNT,
    { endpointUrl: emulatorUrl, credentials: KEYS },
  )
  const agentToken = await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
    name: 'bench',
  })

  const results = new Map<string, (r: RunResult) => void>()
  const agent = new Agent(
    {
      server: plane.url,
      token: agentToken.token,
      workDir: join(dir, 'work'),
      concurrency: 1,
      name: 'bench',
      claimWaitSeconds: 20,
      cancelGraceSeconds: 1,
      baseEnv: { PATH: '/usr/bin:/bin' },
    },
    {
      clock: systemClock,
      logger,
      onEvent: (e) => {
        if (e.type === 'finished') results.get(e.deploymentId)?.(e.result)
      },
    },
  )
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
    await emulator.close()
    await plane.close()
    rmSync(dir, { recursive: true, force: true })
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
