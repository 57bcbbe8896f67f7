/**
 * OIDC provider identity as IAM spells it: the web-identity core's rules
 * (src/federation/aws/provider.ts), re-exported for the trust tools.
 */
export {
  BUILT_IN_PROVIDERS,
  isOidcProviderArn,
  providerArnOf,
  providerUrlOf,
  providerUrlOfPrincipal,
} from '../federation/aws/provider.js'
