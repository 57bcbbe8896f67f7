/** Step 10: DurationSeconds against the role's MaxSessionDuration (docs/aws-behaviour.md §6). */
import { awsMessages } from '../errors.js'
import { fail, pass, skipped, type AwsStep } from '../step.js'

export const DEFAULT_DURATION_SECONDS = 3600

export const durationStep: AwsStep = {
  name: 'duration',
  check({ request, facts }) {
    const duration = request.durationSeconds ?? DEFAULT_DURATION_SECONDS
    facts.duration = duration
    const max = facts.role?.maxSessionDuration
    if (max === undefined) return skipped(`DurationSeconds ${duration}: the role is not known`)
    if (duration > max)
      return fail(
        'duration-exceeds-max',
        'ValidationError',
        awsMessages.durationExceedsMax,
        `DurationSeconds ${duration} > MaxSessionDuration ${max}`,
      )
    return pass(`DurationSeconds ${duration} ≤ MaxSessionDuration ${max}`)
  },
}
