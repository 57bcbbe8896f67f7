/** What the emulator keeps: IAM OIDC providers, roles, issued STS sessions, other clouds' directories. Plain JSON data. */
export interface Tag {
  readonly Key: string
  readonly Value: string
}

export interface ProviderRecord {
  readonly arn: string
  /** URL without scheme, as AWS stores it (`idp.example.com`, `127.0.0.1:8080/x/`). */
  readonly url: string
  readonly clientIds: readonly string[]
  readonly thumbprints: readonly string[]
  readonly tags: readonly Tag[]
  /** ISO timestamp. */
  readonly createDate: string
}

export interface RoleRecord {
  readonly name: string
  readonly id: string
  readonly path: string
  readonly arn: string
  /** Trust policy exactly as given. */
  readonly trustPolicy: string
  readonly description?: string
  readonly maxSessionDuration: number
  readonly permissionsBoundary?: string
  readonly tags: readonly Tag[]
  readonly createDate: string
  /** Inline policies: name → document as given. */
  readonly inlinePolicies: Readonly<Record<string, string>>
}

export interface SessionRecord {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** Epoch milliseconds. */
  readonly expiresAt: number
  readonly accountId: string
  readonly roleId: string
  readonly roleName: string
  readonly roleArn: string
  readonly sessionName: string
  readonly assumedRoleArn: string
  readonly providerArn: string
  readonly sourceIdentity?: string
}

/** A keyed collection; keys are strings chosen by the caller. */
export interface Collection<T> {
  get(key: string): T | undefined
  put(key: string, value: T): void
  delete(key: string): boolean
  list(): T[]
}

export interface EmulatorState {
  /** Keyed by provider ARN. */
  readonly providers: Collection<ProviderRecord>
  /** Keyed by lower-cased role name (role names are unique case-insensitively). */
  readonly roles: Collection<RoleRecord>
  /** Keyed by access key id. */
  readonly sessions: Collection<SessionRecord>
  /**
   * The other clouds' emulated directories as JSON documents, keyed by `<cloud>:<id>` (the Entra
   * tenant: src/emulator/azure/directory-snapshot.ts), so they survive restarts too.
   */
  readonly documents: Collection<unknown>
  /** Drops sessions that expired before `nowMs`. */
  purgeExpiredSessions(nowMs: number): void
  /** Runs `fn` atomically: all its writes or none. */
  transaction<T>(fn: () => T): T
  close(): void
}
