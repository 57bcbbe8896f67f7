/**
 * Emulator configuration: what `keyless emulator` passes (see `emulatorOptions` in
 * src/shared/config/options.ts) plus compatibility switches for AWS behaviour the spec marks
 * unverified [U]; each defaults to the documented choice.
 */
import { verifiesOnPool, type VerifyOn } from './oidc/signature-checks.js'

export interface EmulatorCompat {
  /** `Token expired` message: the 2024 form (space before the second number) or the 2021 form. */
  readonly expiredMessageStyle: '2024' | '2021'
  /** Code for refused session tags / source identity in the token (docs/aws-behaviour.md §10). */
  readonly tagErrorCode: 'InvalidParameterValue' | 'InvalidIdentityToken'
  /** `nbf` further than this in the future is refused. */
  readonly nbfLeewaySeconds: number
  /** Refuse tokens whose `iat` is older than this (`Token too old`); 0 = off (default). */
  readonly maxTokenAgeSeconds: number
  /**
   * Budget, in deflated bytes, that PackedPolicySize 100% stands for (docs/aws-behaviour.md §7,
   * approximation).
   */
  readonly packedPolicyBudgetBytes: number
  /** Trust-policy quota ACLSizePerRole, non-whitespace characters. */
  readonly trustPolicyMaxChars: number
  /** `aws:SecureTransport` for trust evaluation; undefined = whether the request came over TLS. */
  readonly secureTransport: boolean | undefined
}

export interface EmulatorConfig {
  readonly accountId: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** `memory` (default) or a SQLite file. */
  readonly state?: string | undefined
  /** JSON seed file applied at start. */
  readonly seed?: string | undefined
  readonly allowHttpIssuers?: boolean | undefined
  /** PEM bundle of extra CAs for https issuers. */
  readonly caFile?: string | undefined
  readonly verifyThumbprints?: boolean | undefined
  readonly jwksTimeoutMs?: number | undefined
  /** Where token signatures are checked (src/emulator/oidc/signature-checks.ts); default auto. */
  readonly verifyOn?: VerifyOn | undefined
  readonly jwksCacheTtlMs?: number | undefined
  readonly jwksRefetchIntervalMs?: number | undefined
  /** Decisions kept for `GET /_keyless/decisions`. */
  readonly decisionLogSize?: number | undefined
  readonly compat?: Partial<EmulatorCompat> | undefined
}

export interface EmulatorSettings {
  readonly accountId: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly state: string
  readonly seed: string | undefined
  readonly allowHttpIssuers: boolean
  readonly caFile: string | undefined
  readonly verifyThumbprints: boolean
  readonly jwksTimeoutMs: number
  /** Token signatures checked on the libuv threadpool (resolved from `verifyOn`). */
  readonly verifyOnPool: boolean
  readonly jwksCacheTtlMs: number
  readonly jwksRefetchIntervalMs: number
  readonly decisionLogSize: number
  readonly compat: EmulatorCompat
}

export const defaultCompat: EmulatorCompat = {
  expiredMessageStyle: '2024',
  tagErrorCode: 'InvalidParameterValue',
  nbfLeewaySeconds: 300,
  maxTokenAgeSeconds: 0,
  packedPolicyBudgetBytes: 1000,
  trustPolicyMaxChars: 2048,
  secureTransport: undefined,
}

export function resolveSettings(config: EmulatorConfig): EmulatorSettings {
  return {
    accountId: config.accountId,
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    state: config.state ?? 'memory',
    seed: config.seed,
    allowHttpIssuers: config.allowHttpIssuers ?? false,
    caFile: config.caFile,
    verifyThumbprints: config.verifyThumbprints ?? false,
    jwksTimeoutMs: config.jwksTimeoutMs ?? 5000,
    verifyOnPool: verifiesOnPool(config.verifyOn ?? 'auto'),
    jwksCacheTtlMs: config.jwksCacheTtlMs ?? 10 * 60 * 1000,
    jwksRefetchIntervalMs: config.jwksRefetchIntervalMs ?? 1000,
    decisionLogSize: config.decisionLogSize ?? 1000,
    compat: { ...defaultCompat, ...config.compat },
  }
}
