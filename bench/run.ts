// `npm run bench`: runs every benchmark in one process, one after the other, and writes
// BENCHMARKS.md with the machine and the date. `npm run bench -- policy emulator` runs a subset.
import { readdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, release } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import type { BenchSection } from './types.js'

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort()

// Each benchmark runs in a child process of its own: a benchmark that ran before it in the same
// process (its heap, its JIT feedback) would otherwise slow it down — the policy engine measured
// 7× slower after the others than alone.
// The emulator and the server under test run from the build, as users run them: build once, first.
const built = spawnSync(process.execPath, [join(here, '..', 'tools', 'build.mjs')], {
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (built.status !== 0) {
  process.stderr.write('bench: the build failed; run `npm run build` to see why\n')
  process.exit(1)
}
const sections: Array<{ name: string; section: BenchSection }> = []
const pinned = process.env['KEYLESS_BENCH_PIN'] === '1'
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`)
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ')
  const before = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run-one.ts'), name], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (child.status !== 0) {
    process.stderr.write(`bench: ${name} failed (exit ${child.status ?? child.signal ?? '?'})\n`)
    process.exitCode = 1
    continue
  }
  const section = JSON.parse(child.stdout) as BenchSection
  const after = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
  const when = `Run ${started} UTC; load average (1, 5, 15 min) ${before} before and ${after} after, on ${cpus().length} cores.`
  sections.push({ name, section: { ...section, notes: [when, ...section.notes] } })
  process.stderr.write(`bench: ${name} done\n`)
}

function render(s: BenchSection): string {
  const lines = [`## ${s.title}`, '', ...s.notes.flatMap((n) => [n, ''])]
  lines.push(`| ${s.columns.join(' | ')} |`, `| ${s.columns.map(() => '---').join(' | ')} |`)
  for (const row of s.rows) lines.push(`| ${row.join(' | ')} |`)
  lines.push('', '| target | measured | met |', '| --- | --- | --- |')
  for (const t of s.targets)
    lines.push(`| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`)
  return lines.join('\n')
}

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const header = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}. ` +
    'Each section runs its subjects side by side in the same run and reports ratios.',
  '',
]
const file = join(here, '..', 'BENCHMARKS.md')
// A partial run keeps the sections of the benchmarks it did not run.
const previous = existsSync(file) ? readFileSync(file, 'utf8') : ''
const kept = new Map<string, string>()
for (const block of previous.split(/\n(?=<!-- bench:)/u)) {
  const m = /^<!-- bench:(\S+) -->/u.exec(block)
  if (m?.[1] !== undefined) kept.set(m[1], block.trimEnd())
}
// KEYLESS_BENCH_PIN=1 (server on core 0, load generator on core 1) keeps its own sections.
for (const { name, section } of sections) {
  const key = pinned ? `${name}-pinned` : name
  const title = pinned ? `${section.title} — server pinned to one core` : section.title
  kept.set(key, `<!-- bench:${key} -->\n${render({ ...section, title })}`)
}
const body = [...kept.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v)
writeFileSync(file, `${header.join('\n')}\n${body.join('\n\n')}\n`)
process.stderr.write(`bench: wrote ${file}\n`)
