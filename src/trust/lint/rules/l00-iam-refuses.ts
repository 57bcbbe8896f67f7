import { validateTrustPolicy } from '../../../policy/index.js'
import type { LintRule } from '../types.js'

/**
 * L00 iam-refuses: IAM would refuse this document on CreateRole / UpdateAssumeRolePolicy
 * (MalformedPolicyDocument: an unknown operator, a Resource element, a non-STS action, …), or
 * it is over the ACLSizePerRole quota (LimitExceeded, a warning: the quota can be raised).
 */
export const iamRefuses: LintRule = {
  id: 'L00',
  name: 'iam-refuses',
  severity: 'error',
  title: 'IAM would refuse this trust policy (MalformedPolicyDocument or LimitExceeded).',
  check(ctx) {
    const result = validateTrustPolicy(ctx.policy.text)
    if (result.ok) return []
    const limit = result.code === 'LimitExceeded'
    return [
      {
        severity: limit ? 'warning' : 'error',
        message: `IAM refuses this document on CreateRole and UpdateAssumeRolePolicy: ${result.code}: ${result.message}`,
        statement: null,
        key: null,
        fix: limit
          ? 'Shorten the policy (one statement with lists instead of one statement per value), or ask AWS to raise the ACLSizePerRole quota (4096 at most).'
          : 'Correct the element IAM names; `keyless setup aws` generates a valid policy.',
        position: null,
      },
    ]
  },
}
