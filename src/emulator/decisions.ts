/**
 * The decision log (beyond AWS, docs/architecture.md §9): every AssumeRoleWithWebIdentity outcome
 * with its explanation, bounded, newest first. It holds the token's iss/aud/sub and session tags,
 * never the token or its signature.
 */
export type DecisionCloud = 'aws' | 'azure' | 'gcp'

export interface DecisionEntry {
  /** Which emulated cloud decided. */
  readonly cloud: DecisionCloud
  readonly time: string
  readonly action: string
  readonly requestId: string
  readonly roleArn: string | undefined
  readonly roleSessionName: string | undefined
  readonly decision: 'allowed' | 'denied'
  /**
   * The error code returned: `AADSTS<digits>` for Azure, the OAuth `error` for Google STS, the
   * gRPC status for IAM Credentials; null when allowed.
   */
  readonly errorCode: string | null
  /** The step of the web-identity chain that failed (`role`, `trust-policy`, …), when denied. */
  readonly step?: string
  /** Why, as a stable reason of src/federation/aws/errors.ts (`role-not-found`, …), when denied. */
  readonly reason?: string
  /** Why, in words: each step, statement and condition with the values compared. */
  readonly explanation: string
  readonly provider: string | undefined
  readonly token:
    | {
        readonly iss: unknown
        readonly aud: unknown
        readonly sub: unknown
        readonly tags: ReadonlyArray<{ readonly key: string; readonly value: string }>
      }
    | undefined
  /** Azure: the application or managed identity (client id) and the tenant. */
  readonly clientId?: string
  readonly tenant?: string
  /** Azure: the federated credential that matched, or the one that came closest. */
  readonly fic?: string
  /** Google: the caller's `principal://…/subject/…` (STS), the service account (IAM Credentials). */
  readonly principal?: string
  readonly serviceAccount?: string
}

/** What `add` takes: the explanation is rendered only when someone reads the log. */
export type PendingDecision = Omit<DecisionEntry, 'explanation' | 'cloud'> & {
  /** Default `aws`. */
  readonly cloud?: DecisionCloud
  readonly explain: () => string
}

export class DecisionLog {
  readonly #size: number
  /** A ring buffer: `#next` is the slot the next entry goes to. */
  readonly #entries: PendingDecision[] = []
  #next = 0

  readonly #onAdd: ((entry: PendingDecision) => void) | undefined

  /** `onAdd` sees every decision (metrics count them). */
  constructor(size: number, onAdd?: (entry: PendingDecision) => void) {
    this.#size = Math.max(1, size)
    this.#onAdd = onAdd
  }

  add(entry: PendingDecision): void {
    this.#onAdd?.(entry)
    if (this.#entries.length < this.#size) this.#entries.push(entry)
    else this.#entries[this.#next] = entry
    this.#next = (this.#next + 1) % this.#size
  }

  /** Newest first; optionally only one role (exact ARN) and/or one cloud. */
  list(roleArn?: string, cloud?: string): DecisionEntry[] {
    const out: DecisionEntry[] = []
    const n = this.#entries.length
    for (let k = 1; k <= n; k += 1) {
      const e = this.#entries[(((this.#next - k) % n) + n) % n]
      if (e === undefined || (roleArn !== undefined && e.roleArn !== roleArn)) continue
      if (cloud !== undefined && (e.cloud ?? 'aws') !== cloud) continue
      const { explain, cloud: entryCloud, ...rest } = e
      out.push({ cloud: entryCloud ?? 'aws', ...rest, explanation: explain() })
    }
    return out
  }
}

/** `GET /_keyless/decisions?roleArn=…&cloud=…` on every cloud's port. */
export function decisionsQuery(log: DecisionLog, query: unknown): { decisions: DecisionEntry[] } {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  return { decisions: log.list(text(q['roleArn']), text(q['cloud'])) }
}
