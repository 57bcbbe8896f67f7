/**
 * CEL for Google attribute mappings and conditions (docs/gcp.md, "CEL"): the two maintained npm
 * libraries on the cel-spec conformance cases of the subset Google uses (bench/cel/conformance.ts),
 * and evaluations per second of a provider's mapping + condition — raw in each library and as
 * keyless runs it (src/federation/gcp/mapping.ts over @bufbuild/cel). @marcbachmann/cel-js is a
 * devDependency used only by this comparison.
 */
import { loadavg } from 'node:os'
import { celEnv, celMethod, CelScalar, parse, plan, type CelInput } from '@bufbuild/cel'
import { celEngine, type CompiledCel } from '../../src/federation/gcp/cel.js'
import { extractTemplate } from '../../src/federation/gcp/extract.js'
import { applyCondition, applyMapping } from '../../src/federation/gcp/mapping.js'
import { BENCH_CONDITION, BENCH_MAPPING } from '../gcp/index.js'
import type { BenchSection } from '../types.js'
import { bufbuildAdapter, marcbachmannAdapter } from './adapters.js'
import { runConformance, subsetCases, type ConformanceResult } from './conformance.js'

const SECONDS = 3
const CLAIMS = Array.from({ length: 1000 }, (_, i) => ({
  iss: 'https://keyless.example',
  aud: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/o',
  sub: `env:bench-${i}`,
  environment: i % 2 === 0 ? 'bench' : 'prod',
  organizationId: 'org-bench',
  iat: 1_700_000_000,
  exp: 1_700_003_600,
}))

/** Evaluation sets (all mappings + the condition) per CPU second, one thread. */
function perSecond(once: (claims: (typeof CLAIMS)[number]) => boolean): {
  rate: number
  accepted: number
} {
  const start = process.cpuUsage()
  let n = 0
  let accepted = 0
  for (;;) {
    for (const c of CLAIMS) if (once(c)) accepted += 1
    n += CLAIMS.length
    const used = process.cpuUsage(start)
    const s = (used.user + used.system) / 1e6
    if (s >= SECONDS) return { rate: n / s, accepted: accepted / n }
  }
}

function keylessRunner(): (c: (typeof CLAIMS)[number]) => boolean {
  const mapping = Object.entries(BENCH_MAPPING).map(([k, src]) => {
    const compiled = celEngine.compile(src, 'mapping')
    if (!compiled.ok) throw new Error(compiled.error)
    return [k, compiled.program] as const
  })
  const cond = celEngine.compile(BENCH_CONDITION, 'condition')
  if (!cond.ok) throw new Error(cond.error)
  const condition: CompiledCel = cond.program
  return (c) => {
    const m = applyMapping(mapping, c)
    return m.ok && applyCondition(condition, c, m.identity).ok
  }
}

function bufRunner(): (c: (typeof CLAIMS)[number]) => boolean {
  const extract = celMethod(
    'extract',
    CelScalar.STRING,
    [CelScalar.STRING],
    CelScalar.STRING,
    function (this: string, t: string) {
      return extractTemplate(this, t)
    },
  )
  const env = celEnv({ funcs: [extract] })
  const mapping = Object.entries(BENCH_MAPPING).map(
    ([k, src]) => [k.slice(k.indexOf('.') + 1), plan(env, parse(src))] as const,
  )
  const condition = plan(env, parse(BENCH_CONDITION))
  return (c) => {
    const attribute: Record<string, unknown> = {}
    for (const [k, run] of mapping) attribute[k] = run({ assertion: c as unknown as CelInput })
    return (
      condition({
        assertion: c as unknown as CelInput,
        google: { subject: attribute['subject'] } as never,
        attribute: attribute as never,
      }) === true
    )
  }
}

interface MarcEnv {
  registerFunction(signature: string, fn: (...a: unknown[]) => unknown): MarcEnv
  parse(expr: string): (ctx: Record<string, unknown>) => unknown
}

async function marcRunner(): Promise<((c: (typeof CLAIMS)[number]) => boolean) | undefined> {
  let mod: { Environment: new (o: Record<string, unknown>) => MarcEnv }
  try {
    mod = await import('@marcbachmann/cel-js')
  } catch {
    return undefined
  }
  const env = new mod.Environment({ unlistedVariablesAreDyn: true }).registerFunction(
    'string.extract(string): string',
    (v, t) => extractTemplate(String(v), String(t)),
  )
  const mapping = Object.entries(BENCH_MAPPING).map(
    ([k, src]) => [k.slice(k.indexOf('.') + 1), env.parse(src)] as const,
  )
  const condition = env.parse(BENCH_CONDITION)
  return (c) => {
    const attribute: Record<string, unknown> = {}
    for (const [k, run] of mapping) attribute[k] = run({ assertion: c })
    return (
      condition({ assertion: c, google: { subject: attribute['subject'] }, attribute }) === true
    )
  }
}

function failures(r: ConformanceResult | undefined): string {
  if (r === undefined) return '—'
  const groups = new Map<string, number>()
  for (const id of r.failed) {
    const g = id.split('/').slice(0, 2).join('/')
    groups.set(g, (groups.get(g) ?? 0) + 1)
  }
  return [...groups].map(([g, n]) => `${g} ${n}`).join('; ') || 'none'
}

export async function run(): Promise<BenchSection> {
  const cases = subsetCases()
  const marc = await marcbachmannAdapter()
  const buf = runConformance(bufbuildAdapter, cases)
  const marcResult = marc === undefined ? undefined : runConformance(marc, cases)
  const load = loadavg()[0] ?? 0
  const keyless = perSecond(keylessRunner())
  const bufRate = perSecond(bufRunner())
  const marcFn = await marcRunner()
  const marcRate = marcFn === undefined ? undefined : perSecond(marcFn)
  const row = (
    name: string,
    c: ConformanceResult | undefined,
    r: { rate: number; accepted: number } | undefined,
  ): Array<string | number> => [
    name,
    c === undefined ? '—' : `${c.passed}/${c.total}`,
    failures(c),
    r === undefined ? 'not installed' : Math.round(r.rate),
    r === undefined ? '—' : (1e6 / r.rate).toFixed(1),
    r === undefined ? '—' : `${Math.round(r.accepted * 100)}%`,
  ]
  const rows = [
    row('@bufbuild/cel 0.6.1 (raw plan())', buf, bufRate),
    row('@marcbachmann/cel-js 8.0.0 (raw parse())', marcResult, marcRate),
    row('keyless: applyMapping + applyCondition over @bufbuild/cel', undefined, keyless),
  ]
  return {
    title: 'CEL for Google attribute mappings: conformance subset and evaluations per second',
    notes: [
      `Conformance: the ${cases.length} cel-spec cases (from @bufbuild/cel-spec 0.6.1, cel-spec v0.25.1) of the suites Google's mappings and conditions use — basic, comparisons (literals, in, bound), fields (maps, has(), quoted fields), lists, logic, string (size, startsWith, endsWith, matches, +, contains) — without protobuf messages; a case passes when the value (or the error) is the expected one. ` +
        `Speed: one evaluation = the ${Object.keys(BENCH_MAPPING).length} mapping expressions of bench/gcp (${Object.keys(BENCH_MAPPING).join(', ')}) and the condition \`${BENCH_CONDITION}\`, compiled once, over 1000 distinct claim sets, for ${SECONDS} s of CPU time on one thread (CPU time, not wall time: the machine is shared). Load average (1 min) at the start: ${load.toFixed(1)}.`,
    ],
    columns: [
      'subject',
      'conformance subset',
      'failed cases (suite/group count)',
      'mapping + condition evaluations/s',
      'µs per evaluation',
      'accepted',
    ],
    rows,
    targets: [
      {
        target: '@bufbuild/cel passes ≥ 98% of the subset',
        measured: `${((buf.passed / buf.total) * 100).toFixed(1)}%`,
        met: buf.passed / buf.total >= 0.98,
      },
      {
        target: 'keyless evaluations/s (reported)',
        measured: `${Math.round(keyless.rate)}`,
        met: true,
      },
    ],
  }
}
