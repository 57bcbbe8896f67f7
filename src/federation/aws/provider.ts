/**
 * OIDC provider identity as IAM spells it (docs/aws-behaviour.md §5, §14; local issuers:
 * docs/architecture.md §9): the provider URL is the issuer without its scheme (path and trailing
 * slash kept), the ARN is `arn:<partition>:iam::<account>:oidc-provider/<url>`, and the condition
 * keys are `<url>:aud`, `<url>:sub`, …
 */
import { isLoopbackHost } from '../../shared/config/options.js'

/** Providers IAM knows without a provider object; their principal is the bare host. */
export const BUILT_IN_PROVIDERS = [
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
  'cognito-identity.amazonaws.com',
] as const

/** An IAM OIDC provider ARN of one account: partition, account, provider URL. */
export const OIDC_PROVIDER_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):oidc-provider\/(.+)$/u
/** The same in a policy's `Federated` principal, where the account may be a wildcard. */
const FEDERATED_OIDC_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|\*|[^:]*):oidc-provider\/(.+)$/u

export function providerArnOf(accountId: string, providerUrl: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${providerUrl}`
}

/** True for an IAM OIDC provider ARN of one account (IAM's provider-ARN parameters). */
export function isProviderArn(arn: string): boolean {
  return OIDC_PROVIDER_ARN.test(arn)
}

/** True for an IAM OIDC provider ARN in a `Federated` principal (as opposed to SAML or a host). */
export function isOidcProviderArn(federated: string): boolean {
  return FEDERATED_OIDC_ARN.test(federated)
}

/** The provider URL inside a `Federated` principal: the ARN's path, or a built-in host. */
export function providerUrlOfPrincipal(federated: string): string | undefined {
  const m = FEDERATED_OIDC_ARN.exec(federated)
  if (m?.[3] !== undefined) return m[3]
  if ((BUILT_IN_PROVIDERS as readonly string[]).includes(federated)) return federated
  return undefined
}

/** The account in a `Federated` OIDC provider ARN, when it names one. */
export function accountOfPrincipal(federated: string): string | undefined {
  const account = FEDERATED_OIDC_ARN.exec(federated)?.[2]
  return account !== undefined && /^\d{12}$/u.test(account) ? account : undefined
}

/** The provider URL of an issuer for display: the issuer without its scheme. */
export function providerUrlOf(issuer: string): string {
  return issuer.replace(/^https?:\/\//iu, '')
}

/**
 * The provider URL STS looks up for a token's `iss`: `https://` stripped; `http://` only for
 * loopback hosts or when `allowHttp` (the emulator's local issuers). Undefined: no provider can
 * match (AWS answers "No OpenIDConnect provider found").
 */
export function providerUrlOfIssuer(iss: string, allowHttp: boolean): string | undefined {
  if (iss.startsWith('https://')) return iss.slice('https://'.length)
  if (!iss.startsWith('http://')) return undefined
  const host = hostOf(iss)
  if (host === undefined) return undefined
  return allowHttp || isLoopbackHost(host) ? iss.slice('http://'.length) : undefined
}

// Tokens of one issuer repeat its `iss`: a one-entry memo of the last URL parsed (pure).
let lastUrl = ''
let lastHost: string | undefined

function hostOf(url: string): string | undefined {
  if (url !== lastUrl) {
    try {
      lastHost = new URL(url).hostname
    } catch {
      lastHost = undefined
    }
    lastUrl = url
  }
  return lastHost
}

/**
 * CreateOpenIDConnectProvider's URL rules: https without port (loopback hosts may keep one),
 * query, fragment or credentials; plain http (port kept) only for loopback hosts or with
 * `allowHttp`. Returns the URL without scheme, or undefined when IAM refuses it.
 */
export function providerUrlToRegister(raw: string, allowHttp: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#'))
    return undefined
  if (url.username !== '' || url.password !== '') return undefined
  if (url.protocol === 'https:' && raw.startsWith('https://')) {
    const port = url.port !== '' || /^https:\/\/[^/]*:/u.test(raw)
    return port && !isLoopbackHost(url.hostname) ? undefined : raw.slice('https://'.length)
  }
  if (
    url.protocol === 'http:' &&
    raw.startsWith('http://') &&
    (allowHttp || isLoopbackHost(url.hostname))
  )
    return raw.slice('http://'.length)
  return undefined
}
