/**
 * PackedPolicySize, approximated (docs/aws-behaviour.md §7: AWS's packing is secret). Session
 * policy, policy ARNs and session tags are deflated together and compared with a configurable
 * budget; the result is a whole percentage, over 100 meaning PackedPolicyTooLarge.
 */
import { deflateRawSync } from 'node:zlib'

export function packedPolicyPercent(
  parts: {
    readonly policy: string | undefined
    readonly policyArns: readonly string[]
    readonly tags: ReadonlyArray<{ readonly key: string; readonly value: string }>
  },
  budgetBytes: number,
): number {
  let minified = ''
  if (parts.policy !== undefined) {
    try {
      minified = JSON.stringify(JSON.parse(parts.policy))
    } catch {
      minified = parts.policy
    }
  }
  const text = [
    minified,
    ...parts.policyArns,
    ...parts.tags.map((t) => `${t.key}=${t.value}`),
  ].join('\n')
  const size = deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).length
  return Math.max(1, Math.ceil((size * 100) / budgetBytes))
}
