/**
 * The context of one AssumeRoleWithWebIdentity as the AWS chain reads it: the request, the rules
 * STS applies (some configurable, docs/aws-behaviour.md §18), the world the call sees (providers,
 * roles, keys: the emulator's live state online, what `keyless explain` was given offline) and the
 * facts the steps establish on the way, for later steps and for whoever ran the chain.
 */
import type { Policy, SessionTag, WebIdentityTrustResult } from '../../policy/index.js'
import type { RoleArn } from '../../shared/arn.js'
import type { DecodedJwt } from '../jwt.js'
import type { AwsAlgorithm } from './token.js'

export interface AwsExchangeRequest {
  readonly roleArn: string
  readonly roleSessionName: string
  readonly webIdentityToken: string
  readonly durationSeconds?: number | undefined
  readonly providerId?: string | undefined
  readonly policy?: string | undefined
  readonly policyArns?: readonly string[] | undefined
}

/** How STS behaves where AWS is not documented; the emulator makes each one configurable. */
export interface AwsRules {
  /** Accept `http://` issuers on any host (loopback hosts are always accepted). */
  readonly allowHttpIssuers: boolean
  readonly expiredMessageStyle: '2024' | '2021'
  readonly tagErrorCode: 'InvalidParameterValue' | 'InvalidIdentityToken'
  readonly nbfLeewaySeconds: number
  /** 0 = no `Token too old` check. */
  readonly maxTokenAgeSeconds: number
}

export const DEFAULT_AWS_RULES: AwsRules = {
  allowHttpIssuers: false,
  expiredMessageStyle: '2024',
  tagErrorCode: 'InvalidParameterValue',
  nbfLeewaySeconds: 300,
  maxTokenAgeSeconds: 0,
}

export interface AwsProviderFacts {
  readonly arn: string
  readonly url: string
  readonly clientIds: readonly string[]
  readonly thumbprints: readonly string[]
}

export interface AwsRoleFacts {
  readonly arn: string
  readonly name: string
  /** `AROA…`; absent offline. */
  readonly id?: string
  /** The trust policy, or undefined when it does not parse. */
  readonly trustPolicy: Policy | undefined
  readonly maxSessionDuration: number
}

export type SignatureVerdict =
  | { readonly status: 'pass'; readonly kid: string | undefined }
  | { readonly status: 'skipped'; readonly detail: string }
  | { readonly status: 'fail'; readonly kind: 'no-key' | 'bad-signature'; readonly reason: string }

/** What the call can see. `undefined` from a lookup means "not known here" (offline). */
export interface AwsWorld {
  /** The account whose roles this STS serves. */
  readonly accountId: string
  provider(arn: string): AwsProviderFacts | null | undefined
  role(arn: RoleArn): AwsRoleFacts | undefined
  verifySignature(
    iss: string,
    jwt: DecodedJwt<AwsAlgorithm>,
    provider: AwsProviderFacts,
  ): SignatureVerdict | Promise<SignatureVerdict>
  /** PackedPolicySize in percent; absent where it cannot be computed (offline). */
  packedPolicyPercent?(input: {
    readonly policy: string | undefined
    readonly policyArns: readonly string[]
    readonly tags: readonly SessionTag[]
  }): number
}

/** The request's own facts, for the global condition keys. */
export interface AwsRequestEnvironment {
  readonly now: Date
  readonly sourceIp?: string | undefined
  readonly userAgent?: string | undefined
  readonly secureTransport?: boolean | undefined
}

/** What the steps establish, in order; a later step reads what an earlier one found. */
export interface AwsFacts {
  partition?: string
  roleAccount?: string
  jwt?: DecodedJwt<AwsAlgorithm>
  /** The token's claims (also when the token failed a structural check, for explanations). */
  claims?: Readonly<Record<string, unknown>>
  iss?: string
  providerUrl?: string
  providerArn?: string
  provider?: AwsProviderFacts
  audience?: string
  tags?: readonly SessionTag[]
  transitiveTagKeys?: readonly string[]
  sourceIdentity?: string
  role?: AwsRoleFacts
  trust?: WebIdentityTrustResult
  duration?: number
  packedPolicySize?: number
}

export interface AwsExchange {
  readonly request: AwsExchangeRequest
  readonly rules: AwsRules
  readonly world: AwsWorld
  readonly env: AwsRequestEnvironment
  readonly facts: AwsFacts
}
