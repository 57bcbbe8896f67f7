/**
 * Deployment overhead with managed state vs without (issue 12): the same Terraform template (one
 * `terraform_data` resource, real `terraform`, no provider download) deployed with
 * `stateBackend: managed` (keyless's http backend: init, plan and apply lock, read and write the
 * state there) and with `stateBackend: template` (the code's own, here local state), alternately,
 * from "queued" to "succeeded". Control plane (SQLite), emulator and agent run in this process with
 * their real HTTP servers, as in bench/deployments.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { benchAgent, startDeployStack, type Api } from '../support/deploy-stack.js'
import { quantile } from '../support/quantile.js'
import type { BenchSection } from '../types.js'

const N = Number(process.env['BENCH_DEPLOY_STATE_N'] ?? 20)
const WARMUP = 2
const TERRAFORM_DIR = process.env['KEYLESS_TERRAFORM_DIR'] ?? '/usr/local/bin'
const MAIN_TF = `
variable "name" {
  type    = string
  default = "first"
}
resource "terraform_data" "thing" {
  input = var.name
}
output "name" {
  value = terraform_data.thing.output
}
`

const ms = (v: number): string => `${v.toFixed(0)} ms`

async function environment(
  api: Api,
  ids: { org: string; project: string },
  dir: string,
  kind: string,
) {
  const templateDir = join(dir, `tpl-${kind}`)
  mkdirSync(templateDir, { recursive: true })
  writeFileSync(join(templateDir, 'main.tf'), MAIN_TF)
  const template = await api('POST', `/api/v1/organizations/${ids.org}/templates`, {
    name: `tf-${kind}`,
    type: 'terraform',
    path: templateDir,
    stateBackend: kind,
  })
  const env = await api('POST', `/api/v1/projects/${ids.project}/environments`, {
    name: `e-${kind}`,
    templateId: template.id,
  })
  return env.id as string
}

/** One deployment with a new `name`, so that each one changes the resource (managed or not). */
async function deployOnce(api: Api, env: string, round: number): Promise<number> {
  await api('PUT', `/api/v1/environments/${env}/variables/TF_VAR_name`, { value: `round-${round}` })
  const created = await api('POST', `/api/v1/environments/${env}/deployments`, { type: 'deploy' })
  for (;;) {
    const d = await api('GET', `/api/v1/deployments/${created.id}`)
    if (d.status === 'succeeded') return Date.parse(d.finishedAt) - Date.parse(d.createdAt)
    if (d.status === 'failed' || d.status === 'cancelled')
      throw new Error(`bench deployment ${d.id} ${d.status}: ${d.message}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function run(): Promise<BenchSection> {
  const loadBefore = loadavg()
  const stack = await startDeployStack('deploy-state')
  const { api, ids, dir } = stack
  const envs = {
    managed: await environment(api, ids, dir, 'managed'),
    template: await environment(api, ids, dir, 'template'),
  }
  const agent = benchAgent(stack, { PATH: `${TERRAFORM_DIR}:/usr/bin:/bin`, HOME: dir })
  agent.start()
  const samples = { managed: [] as number[], template: [] as number[] }
  try {
    for (let i = 0; i < N + WARMUP; i++) {
      process.stderr.write(`bench deployments-state: round ${i + 1}/${N + WARMUP}\n`)
      for (const kind of ['managed', 'template'] as const) {
        const t = await deployOnce(api, envs[kind], i)
        if (i >= WARMUP) samples[kind].push(t)
      }
    }
    const versions = await api('GET', `/api/v1/environments/${envs.managed}/state/versions`)
    if (!Array.isArray(versions.items) || versions.items.length === 0)
      throw new Error('bench: the managed environment has no state versions')
  } finally {
    await agent.stop({ cancelRunning: true })
    await stack.close()
  }
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ')
  const m = quantile(samples.managed, 0.5)
  const t = quantile(samples.template, 0.5)
  const mp = quantile(samples.managed, 0.99)
  const tp = quantile(samples.template, 0.99)
  return {
    title: 'Deployment overhead with managed state vs without (Terraform)',
    notes: [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average (1, 5, 15 min) ${load(loadBefore)} before and ${load(loadavg())} after: the machine was shared with other work, so the absolute times are upper bounds; the two kinds alternate, so both see the same load.`,
      `${N} deployments of each kind (after ${WARMUP} warm-up rounds), one at a time, alternating: the same Terraform template (one \`terraform_data\` resource, real \`terraform\` init → plan → apply, no provider download) with \`stateBackend: managed\` (keyless's http backend: the state is locked, read and written at the control plane) and with \`stateBackend: template\` (no backend block: local state in the work directory, so each deployment creates the resource anew). Each deployment sets a new \`TF_VAR_name\`, so the managed one changes the resource too (and writes a new state version) rather than applying nothing. Times are the deployment's \`createdAt\` → \`finishedAt\`; with ${N} samples p99 is the maximum.`,
    ],
    columns: ['state', 'median', 'p99'],
    rows: [
      ['`template` (no managed state)', ms(t), ms(tp)],
      ['`managed` (keyless http backend)', ms(m), ms(mp)],
      ['**managed − template** (of the medians, of the p99s)', ms(m - t), ms(mp - tp)],
    ],
    targets: [
      {
        target: 'managed state overhead: reported (no target)',
        measured: `${ms(m - t)} median (${((m / t - 1) * 100).toFixed(0)}%)`,
        met: true,
      },
    ],
  }
}
