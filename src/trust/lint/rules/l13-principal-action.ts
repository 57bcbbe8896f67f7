import { trustsOurProvider } from '../helpers.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L13 principal-action-mismatch: a Federated principal with sts:AssumeRole(WithSAML), a
 * wildcard principal on web identity, NotPrincipal/NotAction in an Allow, a web-identity Allow
 * with no Federated principal, or a Deny that shadows every web-identity request.
 */
export const principalAction: LintRule = {
  id: 'L13',
  name: 'principal-action-mismatch',
  severity: 'error',
  title: "The statement's principal and action do not fit web identity, or a Deny shadows it.",
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of ctx.statements) {
      const at = view.statement.action?.position ?? view.position
      const push = (message: string, key: string, fix: string): void => {
        out.push({ message, statement: view.label, key, fix, position: at })
      }
      if (view.effect === 'Deny') {
        if (view.allowsWebIdentity && trustsOurProvider(ctx, view) && view.conditions.length === 0)
          push(
            `${view.label} denies sts:AssumeRoleWithWebIdentity with no condition: an explicit Deny always wins, so no Allow statement can ever apply.`,
            'Effect',
            'Remove the Deny, or give it a Condition that names only what must be refused.',
          )
        continue
      }
      if (view.effect !== 'Allow') continue
      if (view.federated.length > 0 && view.namesOtherAssume.length > 0 && !view.allowsWebIdentity)
        push(
          `${view.label} gives the Federated principal ${view.namesOtherAssume.join(', ')}; OIDC federation calls sts:AssumeRoleWithWebIdentity, so this statement never applies.`,
          'Action',
          'Use "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"].',
        )
      if (view.allowsWebIdentity && view.wildcardPrincipal)
        push(
          `${view.label} allows sts:AssumeRoleWithWebIdentity to the principal "*": any web identity from any provider is considered.`,
          'Principal',
          'Name the provider: "Principal": { "Federated": "arn:aws:iam::<account>:oidc-provider/<issuer host>" }.',
        )
      if (view.statement.notPrincipal !== undefined)
        push(
          `${view.label} uses NotPrincipal in an Allow: it allows everyone not listed (IAM refuses NotPrincipal in trust policies).`,
          'NotPrincipal',
          'Use "Principal" with the provider ARN.',
        )
      if (view.statement.notAction !== undefined && view.allowsWebIdentity)
        push(
          `${view.label} uses NotAction in an Allow: every action not listed is allowed, web identity included.`,
          'NotAction',
          'List the actions: "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"].',
        )
      if (
        view.allowsWebIdentity &&
        !view.wildcardPrincipal &&
        view.federated.length === 0 &&
        view.statement.principal !== undefined
      )
        push(
          `${view.label} allows sts:AssumeRoleWithWebIdentity to ${view.principalTypes.join(', ')} principals; web identity is matched only by a Federated principal.`,
          'Principal',
          'Use "Principal": { "Federated": "arn:aws:iam::<account>:oidc-provider/<issuer host>" }.',
        )
    }
    return out
  },
}
