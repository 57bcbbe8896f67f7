import type { WebIdentityTrustInput, WebIdentityTrustResult } from './types.js'

/** Decides AssumeRoleWithWebIdentity against a role's trust policy, as AWS does. */
export function evaluateWebIdentityTrust(input: WebIdentityTrustInput): WebIdentityTrustResult {
  void input
  return {
    decision: 'ImplicitlyDenied',
    deniedAction: 'sts:AssumeRoleWithWebIdentity',
    checks: [],
    failing: [],
    summary: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    context: {},
  }
}
