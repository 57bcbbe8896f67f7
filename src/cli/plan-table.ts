import type { PlanSummary, WaitingFor } from '../shared/contracts/plan.js'

/** Symbols Terraform itself uses in its plan output. */
const SYMBOLS: Record<PlanSummary['resources'][number]['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  read: '<=',
  'no-op': ' ',
}

/** The plan summary as `keyless deploy --wait` prints it: the counts, then changed resources. */
export function planLines(plan: PlanSummary): string[] {
  const replaced = plan.replace > 0 ? ` (${plan.replace} replaced)` : ''
  const lines = [
    `plan: ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy${replaced}`,
  ]
  for (const r of plan.resources) {
    if (r.action === 'no-op') continue
    lines.push(`  ${SYMBOLS[r.action].padStart(3)} ${r.address} (${r.action})`)
  }
  return lines
}

/** `waiting: environment busy with dep_…` */
export function waitingLine(waiting: WaitingFor): string {
  return `waiting: ${waiting.message}`
}
