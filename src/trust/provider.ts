/**
 * OIDC provider identity as IAM spells it: the provider URL is the issuer without `https://` (path
 * and trailing slash kept, docs/aws-behaviour.md §5), the ARN is
 * `arn:<partition>:iam::<account>:oidc-provider/<url>` and the condition keys are `<url>:aud`,
 * `<url>:sub`, `<url>:amr`.
 */

/** Providers IAM knows without a provider object; their principal is the bare host. */
export const BUILT_IN_PROVIDERS = [
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
  'cognito-identity.amazonaws.com',
] as const

/**
 * Claims STS puts into the trust-policy context for a generic OIDC issuer (docs/aws-behaviour.md
 * §11). Anything else under `<provider>:` is never present, so a positive condition on it never
 * matches.
 */
export const GENERIC_PROVIDER_KEYS = ['aud', 'sub', 'amr', 'azp'] as const

/**
 * Issuers whose extra claims STS validates since 2026 (docs/aws-behaviour.md §11), with those claim
 * keys.
 */
export const PROVIDER_SPECIFIC_KEYS: Readonly<Record<string, readonly string[]>> = {
  'token.actions.githubusercontent.com': [
    'actor',
    'actor_id',
    'job_workflow_ref',
    'repository',
    'repository_id',
    'workflow',
    'ref',
    'environment',
    'enterprise_id',
  ],
  'accounts.google.com': ['oaud', 'email', 'hd'],
}

/** The IAM provider URL of an issuer: the issuer without its scheme (`127.0.0.1:8080`, `x.com/`). */
export function providerUrlOf(issuer: string): string {
  return issuer.replace(/^https?:\/\//iu, '')
}

export function providerArnOf(accountId: string, providerUrl: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${providerUrl}`
}

const OIDC_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|\*|[^:]*):oidc-provider\/(.+)$/u

/** The provider URL inside a `Federated` principal: the ARN's path, or a built-in host. */
export function providerUrlOfPrincipal(federated: string): string | undefined {
  const m = OIDC_ARN.exec(federated)
  if (m?.[3] !== undefined) return m[3]
  if ((BUILT_IN_PROVIDERS as readonly string[]).includes(federated)) return federated
  return undefined
}

/** True for an IAM OIDC provider ARN (as opposed to a SAML provider or a built-in host). */
export function isOidcProviderArn(federated: string): boolean {
  return OIDC_ARN.test(federated)
}
