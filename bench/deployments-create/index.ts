// Deployment creation on SQLite (issue 2, point 10: target ≥ 2,000/s), through the platform
// service and through the HTTP route (Fastify inject, auth + validation + response schema
// included), both in one run; and the idle RSS of a `keyless server` process (target ≤ 100 MB),
// compiled to JavaScript as it ships (tsx would add its own loader to the measure).
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createIdentityProvider } from '../../src/idp/index.js'
import { createPlatform, type Principal } from '../../src/platform/index.js'
import { buildServer } from '../../src/server/app.js'
import { systemClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { openStore } from '../../src/store/database.js'
import type { BenchSection } from '../types.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SECONDS = 5

interface Rate {
  /** Operations per wall-clock second. */
  readonly rate: number
  /** Operations per CPU-second of this process (user + system): independent of other load. */
  readonly cpuRate: number
  readonly total: number
}

async function rate(fn: () => Promise<unknown>, seconds: number, inFlight: number): Promise<Rate> {
  const end = performance.now() + seconds * 1000
  let total = 0
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      await fn()
      total++
    }
  }
  const start = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(Array.from({ length: inFlight }, worker))
  const used = process.cpuUsage(cpu)
  return {
    rate: total / ((performance.now() - start) / 1000),
    cpuRate: total / ((used.user + used.system) / 1e6),
    total,
  }
}

async function measureCreation(): Promise<Array<[string, Rate]>> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-deploy-'))
  const store = await openStore({ url: join(dir, 'keyless.db') })
  const logger = silentLogger()
  try {
    const idp = await createIdentityProvider({
      issuerUrl: 'http://127.0.0.1:8080',
      store,
      masterKey: randomBytes(32),
      clock: systemClock,
      logger,
      signingAlg: 'ES256',
      tokenTtlSeconds: 600,
      keyPrepublishSeconds: 3600,
    })
    const platform = createPlatform({ store, clock: systemClock, logger })
    const app = await buildServer(
      { webRoot: null, sweepIntervalMs: 0 },
      { store, idp, clock: systemClock, logger, platform },
    )
    const boot = await platform.bootstrapOwner({ email: 'bench@example.com' })
    const owner = (await platform.authenticateKey(boot.key!)) as Principal
    const org = await platform.organizations.create(owner, { name: 'bench' })
    const project = await platform.projects.create(owner, org.id, { name: 'p' })
    const template = await platform.templates.create(owner, org.id, {
      name: 't',
      type: 'custom',
      steps: [{ name: 's', run: 'true' }],
    })
    const env = await platform.environments.create(owner, project.id, {
      name: 'e',
      templateId: template.id,
    })
    const deployer = await platform.apiKeys.create(owner, org.id, {
      role: 'deployer',
      email: 'd@example.com',
    })
    const principal = (await platform.authenticateKey(deployer.key))!
    const viaService = () => platform.deployments.create(principal, env.id, { type: 'deploy' })
    const viaHttp = async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/environments/${env.id}/deployments`,
        headers: { authorization: `Bearer ${deployer.key}`, 'content-type': 'application/json' },
        payload: '{"type":"deploy"}',
      })
      if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`)
    }
    await rate(viaService, 1, 1) // warm-up
    await rate(viaHttp, 1, 1)
    const rows: Array<[string, Rate]> = []
    for (const inFlight of [1, 8]) {
      const s = await rate(viaService, SECONDS, inFlight)
      rows.push([`service, ${inFlight} in flight`, s])
      const h = await rate(viaHttp, SECONDS, inFlight)
      rows.push([`HTTP (inject), ${inFlight} in flight`, h])
    }
    await app.close()
    await idp.close()
    return rows
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Starts the compiled `keyless server` with extra Node flags and reads its RSS once idle. */
async function idleRss(build: string, nodeFlags: readonly string[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyless-bench-rss-'))
  const entry = JSON.stringify(join(build, 'bin', 'keyless.js'))
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      '--input-type=module',
      '-e',
      `const { main } = await import(${entry}); await main(process.argv)`,
      'keyless',
      'server',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  try {
    let text = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${text}`)), 60_000)
      const onData = (d: Buffer): void => {
        text += d.toString()
        const m = /listening on (http:\/\/\S+)/u.exec(text)
        if (m?.[1] !== undefined) {
          clearTimeout(timer)
          resolve(m[1])
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', (code) => reject(new Error(`server exited ${String(code)}: ${text}`)))
    })
    await fetch(`${url}/healthz`)
    await new Promise((r) => setTimeout(r, 3000))
    const status = readFileSync(`/proc/${String(child.pid)}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/u.exec(status)?.[1] ?? 'NaN') / 1024
  } finally {
    child.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Compiles src/ to a scratch folder (as `npm run build` does) and measures idle servers. */
async function measureIdleRss(): Promise<{ shipped: number; smallYoung: number }> {
  const out = join(ROOT, '.bench-tmp', 'deployments-create-build')
  rmSync(out, { recursive: true, force: true })
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
    cwd: ROOT,
    stdio: 'ignore',
  })
  try {
    return {
      shipped: await idleRss(out, []),
      smallYoung: await idleRss(out, ['--max-semi-space-size=2']),
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

export async function run(): Promise<BenchSection> {
  const load = loadavg()[0] ?? 0
  const rows = await measureCreation()
  const rss = await measureIdleRss()
  const http = rows.filter(([n]) => n.startsWith('HTTP')).map(([, r]) => r)
  const bestHttp = Math.max(...http.map((r) => r.rate))
  const bestHttpCpu = Math.max(...http.map((r) => r.cpuRate))
  const service1 = rows[0]?.[1].rate ?? 0
  return {
    title: 'Deployment creation (SQLite) and idle server memory',
    notes: [
      `Queues deployments of one environment for ${SECONDS} s per row, on a SQLite file in WAL mode: through \`platform.deployments.create\` (validation, access check, one transaction with the deployment row and its audit event) and through \`POST /api/v1/environments/{id}/deployments\` with Fastify \`inject()\` (adds API-key authentication, body parsing and response-schema filtering; no socket). "per CPU-second" divides by the CPU time this process used (user + system), which does not depend on how busy the machine is; "per second" is wall-clock.`,
      `Idle RSS: \`keyless server\` compiled with tsc, started as a process (SQLite, one RS256 signing key), read from /proc 3 s after its first request; also with Node's \`--max-semi-space-size=2\` (a smaller young generation: V8 keeps the new space it grew during startup).`,
      `Load average at the start: ${load.toFixed(1)} on ${cpus().length} CPUs.`,
    ],
    columns: ['subject', 'per second', 'per CPU-second', 'created'],
    rows: [
      ...rows.map(
        ([name, r]) => [name, Math.round(r.rate), Math.round(r.cpuRate), r.total] as const,
      ),
      [
        'HTTP / service (1 in flight, wall)',
        `${((rows[1]?.[1].rate ?? 0) / service1).toFixed(2)}×`,
        '—',
        '—',
      ],
      ['idle RSS of keyless server', `${rss.shipped.toFixed(1)} MB`, '—', '—'],
      ['idle RSS, node --max-semi-space-size=2', `${rss.smallYoung.toFixed(1)} MB`, '—', '—'],
    ],
    targets: [
      {
        target: 'deployment creation ≥ 2,000/s through HTTP (wall-clock)',
        measured: `${Math.round(bestHttp)}/s`,
        met: bestHttp >= 2000,
      },
      {
        target: 'deployment creation ≥ 2,000 per CPU-second through HTTP',
        measured: `${Math.round(bestHttpCpu)}/CPU-s`,
        met: bestHttpCpu >= 2000,
      },
      {
        target: 'idle RSS ≤ 100 MB',
        measured: `${rss.shipped.toFixed(1)} MB (${rss.smallYoung.toFixed(1)} MB with --max-semi-space-size=2)`,
        met: rss.shipped <= 100,
      },
    ],
  }
}
