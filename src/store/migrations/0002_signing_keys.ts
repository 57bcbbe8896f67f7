import type { Kysely, Migration } from 'kysely'

/**
 * One row per OIDC signing key (docs/architecture.md §3, §9). The private key is sealed with
 * AES-256-GCM under the master key (see src/idp/keys/sealing.ts); the public JWK is plain. A key's
 * whole lifecycle follows from `activates_at` and the next key's `activates_at`, so rows are only
 * ever inserted: every replica computes the same states from the same rows.
 */
export interface SigningKeysTable {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url). */
  kid: string
  alg: 'RS256' | 'ES256'
  /** Public JWK as JSON text (no private members). */
  public_jwk: string
  /** `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM, additional data = kid. */
  private_key: string
  created_at: string
  /** When the key starts signing (ISO-8601 UTC); it is published from `created_at`. */
  activates_at: string
}

export interface SigningKeyTables {
  signing_keys: SigningKeysTable
}

export const signingKeys0002: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('activates_at', 'text', (c) => c.notNull())
      .execute()
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('signing_keys').execute()
  },
}
