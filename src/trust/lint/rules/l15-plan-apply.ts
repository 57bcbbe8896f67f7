import { subValues, webIdentityAllows } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L15 plan-apply-same-role: a value pins plan deployments while another admits deploy or
 * destroy: one role for both phases.
 */
export const planApply: LintRule = {
  id: 'L15',
  name: 'plan-and-apply-one-role',
  severity: 'info',
  title: 'One role serves plan deployments and deploy/destroy deployments.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of webIdentityAllows(ctx)) {
      const values = subValues(ctx, view).filter((v) => v.analysis.fits)
      if (values.length === 0) continue
      // Only an explicit plan value says the role is meant for plans; `type:*` is the usual
      // single-role setup and says nothing about what the role may write.
      const planPinned = values.some((v) => v.analysis.pinned.deploymentType === 'plan')
      const types = new Set(values.flatMap((v) => v.analysis.deploymentTypes))
      if (!planPinned || !(types.has('deploy') || types.has('destroy'))) continue
      out.push({
        message: `${view.label}: the same role is trusted for plan and for deploy/destroy deployments; a plan only reads, so a plan run (often from an unreviewed change) gets write access.`,
        statement: view.label,
        key: values[0]?.condition.entry.key ?? null,
        fix: 'Split the roles: pin ":type:deploy"/":type:destroy" here, and give plan deployments a read-only role (planRoleArn on the credential) trusted for ":type:plan".',
        position: view.position,
      })
    }
    return out
  },
}
