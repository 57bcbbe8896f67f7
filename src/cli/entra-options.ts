/** What the Azure tools (`setup azure --apply`, `lint --cloud azure`) need to call Graph and ARM. */
import { readFileSync } from 'node:fs'
import { parsers, type OptionTable } from '../shared/config/index.js'
import { KeylessError } from '../shared/errors.js'

export const entraOptions = {
  adminToken: {
    flag: '--admin-token',
    env: 'KEYLESS_AZURE_ADMIN_TOKEN',
    description:
      'bearer token of the Graph/ARM calls (the Entra emulator: its --admin-token, default test)',
    parse: parsers.nonEmpty,
    secret: true,
  },
} satisfies OptionTable

/** The PEM text of `--ca-file`, with a one-line error when it cannot be read. */
export function readCaFile(file: string | undefined): string | undefined {
  if (file === undefined) return undefined
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new KeylessError(
      'usage_error',
      `--ca-file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}
