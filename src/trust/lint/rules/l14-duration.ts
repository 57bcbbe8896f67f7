import type { LintRule, RawFinding } from '../types.js'

/** AWS's default MaxSessionDuration of a role. */
export const DEFAULT_MAX_SESSION_DURATION = 3600

/** L14 duration-mismatch: the requested session duration is over the role's MaxSessionDuration. */
export const durationMismatch: LintRule = {
  id: 'L14',
  name: 'duration-over-max-session',
  severity: 'warning',
  title: "The requested session duration is longer than the role's MaxSessionDuration.",
  check(ctx) {
    const out: RawFinding[] = []
    const duration = ctx.options.duration
    if (duration === undefined) return out
    const known = ctx.options.maxSessionDuration
    const max = known ?? DEFAULT_MAX_SESSION_DURATION
    if (duration > max)
      out.push({
        message: `Deployments request ${duration} s but the role's MaxSessionDuration is ${max} s${known === undefined ? ' (the default; give --max-session-duration or --role-arn to read it)' : ''}: STS answers ValidationError "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."`,
        statement: null,
        key: 'MaxSessionDuration',
        fix: `Lower the credential's duration to ${max} s, or raise the role's MaxSessionDuration: aws iam update-role --role-name <role> --max-session-duration ${Math.min(43200, Math.max(3600, duration))}.`,
        position: null,
      })
    return out
  },
}
