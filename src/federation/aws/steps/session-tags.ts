/** Session tags and source identity from the claims (docs/aws-behaviour.md §10). */
import { readSessionTags, readSourceIdentity } from '../session-tags.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

export const sessionTagsStep: AwsStep = {
  name: 'session-tags',
  check({ facts, rules }) {
    const claims = facts.claims
    if (claims === undefined) return skipped('the token has no readable claims')
    const tags = readSessionTags(claims)
    facts.tags = tags.tags
    facts.transitiveTagKeys = tags.transitiveTagKeys
    const problem = tags.problems[0]
    if (problem !== undefined)
      return fail('session-tags-invalid', rules.tagErrorCode, problem, `session tags: ${problem}`)
    const source = readSourceIdentity(claims)
    if (!source.ok)
      return fail(
        'source-identity-invalid',
        rules.tagErrorCode,
        source.message,
        `source identity: ${source.message}`,
      )
    if (source.value !== undefined) facts.sourceIdentity = source.value
    const words = tags.tags.map((t) => `${t.key}=${t.value}`).join(', ')
    return pass(
      `${tags.tags.length === 0 ? 'no session tags' : `session tags ${words}`}${source.value === undefined ? '' : `, source identity ${source.value}`}`,
    )
  },
}
