/**
 * The decision log (beyond AWS, DESIGN §9): every AssumeRoleWithWebIdentity outcome with its
 * explanation, bounded, newest first. It holds the token's iss/aud/sub and session tags, never
 * the token or its signature.
 */
export interface DecisionEntry {
  readonly time: string
  readonly action: string
  readonly requestId: string
  readonly roleArn: string | undefined
  readonly roleSessionName: string | undefined
  readonly decision: 'allowed' | 'denied'
  /** The AWS error code returned, null when allowed. */
  readonly errorCode: string | null
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
}

export class DecisionLog {
  readonly #size: number
  readonly #entries: DecisionEntry[] = []

  constructor(size: number) {
    this.#size = Math.max(1, size)
  }

  add(entry: DecisionEntry): void {
    this.#entries.push(entry)
    if (this.#entries.length > this.#size)
      this.#entries.splice(0, this.#entries.length - this.#size)
  }

  /** Newest first; optionally only one role (exact ARN). */
  list(roleArn?: string): DecisionEntry[] {
    const out: DecisionEntry[] = []
    for (let i = this.#entries.length - 1; i >= 0; i -= 1) {
      const e = this.#entries[i]
      if (e !== undefined && (roleArn === undefined || e.roleArn === roleArn)) out.push(e)
    }
    return out
  }
}
