/**
 * The load generator of the HTTP benchmarks: wrk in a separate process (2 threads, 16
 * connections, 10 s), each request's body a line of a file (distinct tokens), plus the server's
 * CPU time per request from /proc and the load average around the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism, loadavg } from 'node:os'
import { Worker } from 'node:worker_threads'
import { processEnv } from '../../src/shared/config/load.js'

/**
 * `KEYLESS_BENCH_PIN=1`: the server under test (every thread) runs on core 0 and the load
 * generator on core 1 (Linux `taskset`), so each gets one core of its own.
 */
export const PINNED = processEnv()['KEYLESS_BENCH_PIN'] === '1'

/** Moves a process (all its threads) to `core` when pinning; a no-op otherwise. */
export function pin(pid: number | undefined, core: 0 | 1 = 0): void {
  if (!PINNED || pid === undefined) return
  const r = spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`taskset failed: ${r.stderr || r.error?.message || ''}`)
}

/**
 * Where a server under test checks token signatures: what `--verify-on auto` chooses for a
 * process started on the cores it runs on. Pinned processes are pinned after they start, so they
 * are told `main` (one core), as auto would decide had they started pinned.
 */
export function verifyOn(): 'main' | 'pool' {
  return !PINNED && availableParallelism() > 1 ? 'pool' : 'main'
}

/**
 * The threadpool `keyless emulator` runs with (bin/keyless.js, CommonJS, sets it the same way):
 * one thread fewer than the cores, at least one, unless UV_THREADPOOL_SIZE is set.
 */
export function emulatorThreadpoolSize(): string {
  return process.env['UV_THREADPOOL_SIZE'] ?? String(Math.max(1, availableParallelism() - 1))
}

/** How the run was placed, for the notes. */
export function placement(): string {
  return PINNED
    ? 'The server under test runs pinned to core 0 (taskset, all its threads) and the load generator on core 1.'
    : 'Nothing is pinned: server and load generator share both cores with other work.'
}

export const DURATION = '10s'
export const CONNECTIONS = '16'
export const THREADS = '2'

export interface WrkResult {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly requests: number
  readonly errors: number
  /** CPU time (user + system) the server process spent per request, in µs; NaN if unknown. */
  readonly cpuUs: number
  /** 1-minute load average before and after the run: how busy the machine was. */
  readonly load: readonly [number, number]
}

/** User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/u.exec(text.trim())
  if (!m) return Number.NaN
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
}

export function wrk(
  url: string,
  script: string,
  args: string[],
  pid: number | undefined,
): WrkResult {
  const loadBefore = loadavg()[0] ?? Number.NaN
  const cpuBefore = cpuSeconds(pid)
  const wrkArgs = [
    '-t',
    THREADS,
    '-c',
    CONNECTIONS,
    '-d',
    DURATION,
    '--latency',
    '-s',
    script,
    url,
    '--',
    ...args,
  ]
  const r = spawnSync(
    PINNED ? 'taskset' : 'wrk',
    PINNED ? ['-c', '1', 'wrk', ...wrkArgs] : wrkArgs,
    { encoding: 'utf8', timeout: 60_000 },
  )
  const cpu = cpuSeconds(pid) - cpuBefore
  const out = `${r.stdout}\n${r.stderr}`
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? Number.NaN)
  const requests = num(/(\d+) requests in/u)
  return {
    cpuUs: (cpu * 1e6) / requests,
    load: [loadBefore, loadavg()[0] ?? Number.NaN],
    rps: num(/Requests\/sec:\s+([\d.]+)/u),
    p50: ms(/\s50%\s+(\S+)/u.exec(out)?.[1] ?? ''),
    p99: ms(/\s99%\s+(\S+)/u.exec(out)?.[1] ?? ''),
    requests,
    errors:
      (Number(/Non-2xx or 3xx responses: (\d+)/u.exec(out)?.[1] ?? 0) || 0) +
      (Number(/Socket errors: connect (\d+)/u.exec(out)?.[1] ?? 0) || 0),
  }
}

/**
 * A wrk script over the lines of a file (argument 1; argument 2: the threads' stride), each
 * thread starting at its own line: `request` is the body of Lua's `request()`, with `line` the
 * next line.
 */
export function luaLines(request: string): string {
  return `
local lines = {}
local i = 0
local step = 1
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  step = tonumber(args[2])
  i = tonumber(tid) - 1
end
function request()
  local line = lines[(i % #lines) + 1]
  i = i + step
${request}
end
`
}

/** Posts each line form-encoded to `path`. */
export function luaPostLines(path = '/'): string {
  return luaLines(
    `  return wrk.format("POST", ${JSON.stringify(path)}, { ["Content-Type"] = "application/x-www-form-urlencoded" }, line)`,
  )
}

const MINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { createPrivateKey, sign, randomUUID } = require('node:crypto')
const key = createPrivateKey(workerData.pem)
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
const header = b64({ alg: 'RS256', kid: workerData.kid, typ: 'JWT' })
const out = []
for (let n = 0; n < workerData.count; n += 1) {
  const payload = b64({ ...workerData.claims, iat: workerData.now, exp: workerData.now + 3600, jti: randomUUID() })
  const input = header + '.' + payload
  out.push(input + '.' + sign('sha256', Buffer.from(input), key).toString('base64url'))
}
parentPort.postMessage(out)
`

/** `count` distinct RS256 tokens with `claims` (and their own `jti`), signed on two threads. */
export async function mintTokens(options: {
  readonly pem: string
  readonly kid: string
  readonly claims: Readonly<Record<string, unknown>>
  readonly count: number
}): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000)
  const halves = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const w = new Worker(MINT_WORKER, {
            eval: true,
            workerData: { ...options, now, count: Math.ceil(options.count / 2) },
          })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  return halves.flat()
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export async function waitFor(url: string, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    try {
      await fetch(url)
      return true
    } catch {
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return false
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** The HTTP ceiling: Fastify answering a fixed 1 KB XML body to any POST, in its own process. */
export async function startCeiling(cwd: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const script = `
const fastify = require('fastify')({ logger: false })
fastify.addContentTypeParser('*', { parseAs: 'string' }, (_r, b, d) => d(null, b))
const body = '<R xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' + 'x'.repeat(1024 - 60) + '</R>'
fastify.post('/*', async (_req, reply) => reply.type('text/xml').send(body))
fastify.listen({ port: ${port}, host: '127.0.0.1' })
`
  const child = spawn(process.execPath, ['-e', script], { cwd, stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}/`
  await waitFor(url, 15_000)
  return { url, child }
}

/** The table row of a subject: requests/s, p50, p99, requests, errors, CPU µs, load. */
export function wrkRow(name: string, r: WrkResult | undefined): Array<string | number> {
  return [
    name,
    r === undefined ? '—' : Math.round(r.rps),
    r?.p50.toFixed(2) ?? '—',
    r?.p99.toFixed(2) ?? '—',
    r?.requests ?? '—',
    r?.errors ?? '—',
    r === undefined || Number.isNaN(r.cpuUs) ? '—' : Math.round(r.cpuUs),
    r === undefined ? '—' : `${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`,
  ]
}

export const WRK_COLUMNS = [
  'subject',
  'requests/s',
  'p50 ms',
  'p99 ms',
  'requests',
  'non-2xx',
  'server CPU µs/request',
  'load avg 1 min (before → after)',
] as const
