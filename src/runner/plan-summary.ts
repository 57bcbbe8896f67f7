import { execFile } from 'node:child_process'
import { PLAN_RESOURCES_MAX, type PlanAction, type PlanSummary } from '../shared/contracts/plan.js'

/**
 * The plan summary (docs/state.md): `terraform show -json <planfile>` read by the runner. Its
 * output holds the plan's values, sensitive ones included, so it never reaches the log: only
 * the counts and each resource's address and action leave the runner.
 */

interface ResourceChange {
  readonly address?: unknown
  readonly mode?: unknown
  readonly change?: { readonly actions?: unknown }
}

/** Terraform's action list of one resource → one action. */
export function actionOf(actions: readonly string[]): PlanAction {
  if (actions.includes('create') && actions.includes('delete')) return 'replace'
  for (const a of ['create', 'update', 'delete', 'read'] as const)
    if (actions.length === 1 && actions[0] === a) return a
  return 'no-op'
}

/**
 * Counts as Terraform's "Plan:" line does: a replacement is one to add and one to destroy, and
 * `replace` counts replacements; reads and no-ops are listed, not counted.
 */
export function summarizePlanJson(plan: unknown): PlanSummary {
  const changes = (plan as { resource_changes?: unknown } | null)?.resource_changes
  const summary = { add: 0, change: 0, destroy: 0, replace: 0 }
  const resources: PlanSummary['resources'] = []
  for (const rc of Array.isArray(changes) ? (changes as ResourceChange[]) : []) {
    const raw = rc.change?.actions
    const actions = Array.isArray(raw) ? raw.filter((a): a is string => typeof a === 'string') : []
    const action = actionOf(actions)
    if (rc.mode !== 'data') {
      if (action === 'create' || action === 'replace') summary.add += 1
      if (action === 'delete' || action === 'replace') summary.destroy += 1
      if (action === 'update') summary.change += 1
      if (action === 'replace') summary.replace += 1
    }
    if (resources.length < PLAN_RESOURCES_MAX)
      resources.push({
        address: (typeof rc.address === 'string' ? rc.address : '?').slice(0, 4096),
        action,
      })
  }
  return { ...summary, resources }
}

/** Runs `<binary> show -json <planFile>` in `cwd` and summarizes it. */
export function readPlanSummary(input: {
  readonly binary: string
  readonly planFile: string
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
}): Promise<PlanSummary> {
  return new Promise((resolve, reject) => {
    execFile(
      input.binary,
      ['show', '-json', '-no-color', input.planFile],
      { cwd: input.cwd, env: input.env, maxBuffer: 512 * 1024 * 1024, timeout: 300_000 },
      (error, stdout) => {
        if (error !== null) {
          reject(new Error(`${input.binary} show -json failed (exit ${String(error.code)})`))
          return
        }
        try {
          resolve(summarizePlanJson(JSON.parse(stdout)))
        } catch {
          reject(new Error(`${input.binary} show -json printed something that is not JSON`))
        }
      },
    )
  })
}

/** `Plan: 1 to add, 0 to change, 1 to destroy (1 replaced).` */
export function planLine(plan: PlanSummary): string {
  const replaced = plan.replace > 0 ? ` (${plan.replace} replaced)` : ''
  return `plan: ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy${replaced}`
}
