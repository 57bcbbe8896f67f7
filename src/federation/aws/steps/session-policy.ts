/** Step 11: session policy, policy ARNs and the packed size (docs/aws-behaviour.md §7). */
import { validateIdentityPolicy } from '../../../policy/index.js'
import { invalidArnMessage, packedTooLargeMessage } from '../errors.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\u0021-\u007E]+$/u

export const sessionPolicyStep: AwsStep = {
  name: 'session-policy',
  check({ request, facts, world }) {
    const policy = request.policy
    if (policy !== undefined) {
      const v = validateIdentityPolicy(policy)
      if (!v.ok)
        return fail(
          'session-policy-malformed',
          'MalformedPolicyDocument',
          v.message,
          `session policy: ${v.message}`,
        )
    }
    const policyArns = request.policyArns ?? []
    for (const p of policyArns)
      if (!POLICY_ARN.test(p))
        return fail('policy-arn-invalid', 'ValidationError', invalidArnMessage(p))
    const tags = facts.tags ?? []
    if (policy === undefined && policyArns.length === 0 && tags.length === 0)
      return pass('no session policy and no session tags')
    if (world.packedPolicyPercent === undefined)
      return skipped('PackedPolicySize is not computed offline')
    const packed = world.packedPolicyPercent({ policy, policyArns, tags })
    facts.packedPolicySize = packed
    if (packed > 100)
      return fail('packed-policy-too-large', 'PackedPolicyTooLarge', packedTooLargeMessage(packed))
    return pass(`PackedPolicySize ${packed}%`)
  },
}
