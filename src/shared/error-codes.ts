/**
 * The one table of keyless's own error codes (REST API, agent API, CLI). Each code has the HTTP
 * status it is answered with and the CLI exit code it ends a command with. AWS wire errors of the
 * emulator live in `src/emulator/errors.ts`, which mirrors AWS's own table.
 *
 * `docs/errors.md` is checked against this table by a test.
 */
export const errorTable = {
  bad_request: {
    status: 400,
    exit: 2,
    description: 'The request could not be read (malformed JSON, wrong content type).',
  },
  validation_failed: {
    status: 400,
    exit: 2,
    description: 'One or more fields are invalid; `details.fields` names each.',
  },
  unauthorized: {
    status: 401,
    exit: 3,
    description: 'Missing, unknown or revoked API key or agent token.',
  },
  forbidden: {
    status: 403,
    exit: 3,
    description: 'The key is valid but its role does not allow this action.',
  },
  not_found: {
    status: 404,
    exit: 4,
    description: 'No such object in the organizations this key can see.',
  },
  conflict: {
    status: 409,
    exit: 1,
    description: 'The object already exists or is in a state that forbids the change.',
  },
  audience_taken: {
    status: 409,
    exit: 1,
    description:
      'Another organization of the installation has this audience already (audiences are unique, so `aud` tells organizations apart).',
  },
  invalid_state: {
    status: 409,
    exit: 1,
    description:
      'The object is not in a state that allows this action (e.g. minting for a finished deployment).',
  },
  lease_lost: {
    status: 409,
    exit: 1,
    description:
      'The agent no longer holds the deployment (its lease expired or it was cancelled or finished).',
  },
  minting_stopped: {
    status: 409,
    exit: 1,
    description: 'The organization has stopped all token minting (incident switch).',
  },
  no_cloud_credential: {
    status: 409,
    exit: 1,
    description:
      'A token was asked for a cloud (azure, gcp) that has no credential assigned to the project.',
  },
  subject_too_long: {
    status: 422,
    exit: 2,
    description:
      "The token's subject is longer than the cloud accepts (Google: 127 bytes); shorten the credential's subject template.",
  },
  payload_too_large: { status: 413, exit: 2, description: 'The request body is over 1 MiB.' },
  state_invalid: {
    status: 400,
    exit: 2,
    description:
      'The state body is not a Terraform state: not JSON, truncated (Content-MD5 mismatch), or without `version`, `serial` and `lineage`.',
  },
  lock_info_invalid: {
    status: 400,
    exit: 2,
    description: 'The LockInfo body is not JSON or has no `ID`.',
  },
  state_too_large: {
    status: 413,
    exit: 2,
    description: 'The state is over the size limit (`--state-max-bytes`, default 64 MiB).',
  },
  state_locked: {
    status: 423,
    exit: 1,
    description:
      'The state is locked by another holder; a LOCK answer carries the holder’s LockInfo.',
  },
  state_lock_mismatch: {
    status: 409,
    exit: 1,
    description:
      'The lock ID given does not match the lock held (or no lock is held); nothing was written.',
  },
  state_lineage_mismatch: {
    status: 409,
    exit: 1,
    description:
      'The state has another lineage than the latest version; refused unless written with `?force=true`.',
  },
  state_serial_conflict: {
    status: 409,
    exit: 1,
    description: 'The state’s serial is not greater than the latest version’s.',
  },
  state_version_not_found: {
    status: 404,
    exit: 4,
    description: 'The environment has no state version with this serial.',
  },
  issuer_not_published: {
    status: 503,
    exit: 5,
    description:
      'The signing key is not in the published copy of the issuer yet (keyless server --publish-issuer); retry once publication succeeded.',
  },
  data_dir_in_use: {
    status: 409,
    exit: 1,
    description: 'A keyless server runs on this database; stop it first (keyless restore).',
  },
  usage_error: { status: 400, exit: 2, description: 'Command-line usage error.' },
  input_unreadable: {
    status: 400,
    exit: 2,
    description: 'An input file or value could not be read or parsed.',
  },
  config_invalid: {
    status: 500,
    exit: 2,
    description: 'The configuration is invalid; every problem is listed.',
  },
  key_decryption_failed: {
    status: 500,
    exit: 5,
    description: 'Signing keys cannot be decrypted with the master key given.',
  },
  upstream_unreachable: {
    status: 502,
    exit: 5,
    description: 'A remote endpoint (AWS, emulator, control plane) could not be reached.',
  },
  database_unavailable: {
    status: 503,
    exit: 5,
    description:
      'The database could not be reached or dropped the connection (a restart, a failover); retry.',
  },
  idempotency_key_reused: {
    status: 422,
    exit: 2,
    description:
      'The `Idempotency-Key` was used within 24 hours for a different request (method, path or body).',
  },
  deployment_failed: { status: 500, exit: 1, description: 'A deployment ended in failure.' },
  internal_error: {
    status: 500,
    exit: 70,
    description: 'An unexpected error; details are in the server log only.',
  },
} as const satisfies Record<string, { status: number; exit: number; description: string }>

export type ErrorCode = keyof typeof errorTable
