/**
 * State backend throughput (issue 12): a write (LOCK → POST → UNLOCK, as Terraform does it) and a
 * read (GET) of a 1 MiB and a 20 MiB Terraform-shaped state through the real control plane's HTTP
 * backend (SQLite, sealed at rest), with a claimed deployment's state password; beside it a plain
 * file write + fsync and a plain read of the same bytes on the same disk.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startControlPlane } from '../../src/cli/control-plane.js'
import { loadConfig, serverOptions } from '../../src/shared/config/index.js'
import { silentLogger } from '../../src/shared/logger.js'
import { quantile } from '../support/quantile.js'
import type { BenchSection } from '../types.js'
import { stateDocument } from './state-document.js'

const MiB = 1024 * 1024
const SIZES: ReadonlyArray<{ label: string; bytes: number; n: number }> = [
  { label: '1 MiB', bytes: MiB, n: Number(process.env['BENCH_STATE_N_1'] ?? 50) },
  { label: '20 MiB', bytes: 20 * MiB, n: Number(process.env['BENCH_STATE_N_20'] ?? 20) },
]
const WARMUP = 2

const ms = (v: number): string => `${v.toFixed(1)} ms`
const times = (a: number, b: number): string => `${(a / b).toFixed(1)}×`

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

async function check(res: Response, what: string): Promise<string> {
  const text = await res.text()
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`)
  return text
}

interface Plane {
  readonly address: string
  readonly password: string
  close(): Promise<void>
}

/** A control plane with a terraform environment and one claimed, running deployment. */
async function startPlane(dir: string): Promise<Plane> {
  const adminKey = `kl_bench_owner_${Date.now()}_abcdefghijklmnop`
  const plane = await startControlPlane(
    loadConfig(serverOptions, {
      flags: { port: 0, dataDir: join(dir, 'data'), adminKey, logLevel: 'silent' },
      env: {},
    }),
    { logger: silentLogger(), out: null, webRoot: null },
  )
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely read JSON answers
  const api = async (method: string, path: string, body: unknown, key = adminKey): Promise<any> => {
    const res = await fetch(`${plane.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await check(res, `${method} ${path}`)
    return text === '' ? undefined : JSON.parse(text)
  }
  const org = await api('POST', '/api/v1/organizations', { name: 'bench' })
  const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'p' })
  const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
    name: 'tf',
    type: 'terraform',
  })
  const env = await api('POST', `/api/v1/projects/${project.id}/environments`, {
    name: 'e',
    templateId: template.id,
  })
  const agent = await api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, { name: 'b' })
  const created = await api('POST', `/api/v1/environments/${env.id}/deployments`, {})
  const claim = await api('POST', '/agent/v1/claim', { waitSeconds: 0 }, agent.token)
  if (claim?.deployment?.id !== created.id)
    throw new Error('bench: the claim missed the deployment')
  await api(
    'POST',
    `/agent/v1/deployments/${created.id}/status`,
    { status: 'running' },
    agent.token,
  )
  return {
    address: `${plane.url}/api/v1/environments/${env.id}/state`,
    password: claim.deployment.statePassword as string,
    close: () => plane.close(),
  }
}

interface Samples {
  write: number[]
  read: number[]
  fileWrite: number[]
  fileRead: number[]
}

async function measure(plane: Plane, dir: string, doc: string, n: number, serial: { v: number }) {
  const auth = `Basic ${Buffer.from(`keyless:${plane.password}`).toString('base64')}`
  const headers = { authorization: auth, 'content-type': 'application/json' }
  const file = join(dir, 'plain.tfstate')
  const s: Samples = { write: [], read: [], fileWrite: [], fileRead: [] }
  for (let i = 0; i < n + WARMUP; i++) {
    serial.v += 1
    const bytes = Buffer.from(doc.replace('__SERIAL__', String(serial.v)))
    const lock = JSON.stringify({ ID: randomUUID(), Operation: 'OperationTypeApply', Who: 'b' })
    const id = (JSON.parse(lock) as { ID: string }).ID
    const write = await timed(async () => {
      await check(
        await fetch(`${plane.address}/lock`, { method: 'LOCK', headers, body: lock }),
        'LOCK',
      )
      await check(
        await fetch(`${plane.address}?ID=${id}`, { method: 'POST', headers, body: bytes }),
        'POST',
      )
      await check(
        await fetch(`${plane.address}/lock`, { method: 'UNLOCK', headers, body: lock }),
        'UNLOCK',
      )
    })
    let got = ''
    const read = await timed(async () => {
      got = await check(await fetch(plane.address, { headers: { authorization: auth } }), 'GET')
    })
    if (Buffer.byteLength(got) !== bytes.length) throw new Error('bench: GET answered other bytes')
    const fileWrite = await timed(async () => {
      const fh = await open(file, 'w')
      await fh.writeFile(bytes)
      await fh.sync()
      await fh.close()
    })
    const fileRead = await timed(() => readFile(file))
    if (i < WARMUP) continue
    s.write.push(write)
    s.read.push(read)
    s.fileWrite.push(fileWrite)
    s.fileRead.push(fileRead)
  }
  return s
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-state-'))
  const loadBefore = loadavg()
  const plane = await startPlane(dir)
  const rows: Array<Array<string>> = []
  const ratios: Array<{ label: string; write: number; read: number }> = []
  const serial = { v: 0 }
  try {
    for (const size of SIZES) {
      const doc = stateDocument(size.bytes, 'bench-lineage')
      process.stderr.write(
        `bench state: ${size.label} (${Buffer.byteLength(doc)} bytes) × ${size.n}…\n`,
      )
      const s = await measure(plane, dir, doc, size.n, serial)
      const q = (v: number[]) => [quantile(v, 0.5), quantile(v, 0.99)] as const
      const [w, wp] = q(s.write)
      const [r, rp] = q(s.read)
      const [fw, fwp] = q(s.fileWrite)
      const [fr, frp] = q(s.fileRead)
      rows.push(
        [
          `${size.label} write: LOCK → POST → UNLOCK`,
          `${size.n}`,
          ms(w),
          ms(wp),
          ms(fw),
          ms(fwp),
          times(w, fw),
        ],
        [`${size.label} read: GET`, `${size.n}`, ms(r), ms(rp), ms(fr), ms(frp), times(r, fr)],
      )
      ratios.push({ label: size.label, write: w / fw, read: r / fr })
    }
  } finally {
    await plane.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ')
  const machine = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average (1, 5, 15 min) ${load(loadBefore)} before and ${load(loadavg())} after: the machine was shared with other work, so the absolute times and the p99s are upper bounds.`
  return {
    title: 'State backend: write and read of a 1 MiB and a 20 MiB state',
    notes: [
      machine,
      `The control plane (SQLite, states sealed at rest) runs in this process with its real HTTP server on loopback; a \`terraform\` environment has one claimed, running deployment whose state password authenticates every request (HTTP Basic, as Terraform's http backend sends it). A write is what Terraform does on apply: LOCK, POST \`?ID=\` with a new serial, UNLOCK; a read is GET, its bytes checked. The documents are Terraform-shaped (format 4, many \`aws_instance\` resources with ids, ARNs, addresses, tags and hashes all distinct, so nothing compresses to a trivial run). Beside each, a plain file of the same bytes in the same temporary directory: open, write, fsync, close; and a plain \`readFile\`. ${WARMUP} warm-up rounds per size are not counted; with ${Math.min(...SIZES.map((x) => x.n))} samples or fewer p99 is the maximum, and the machine's load shows in it.`,
    ],
    columns: [
      'operation',
      'samples',
      'median',
      'p99',
      'plain file median',
      'plain file p99',
      '× plain file (median)',
    ],
    rows,
    targets: ratios.flatMap((r) => [
      {
        target: `${r.label} write: reported (no target)`,
        measured: `${r.write.toFixed(1)}× plain file`,
        met: true,
      },
      {
        target: `${r.label} read: reported (no target)`,
        measured: `${r.read.toFixed(1)}× plain file`,
        met: true,
      },
    ]),
  }
}
