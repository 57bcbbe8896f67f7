/**
 * How the "try next" lines of `keyless up` spell the CLI so that they run where the user is:
 * `npx keyless` resolves this package's own bin only inside its folder (elsewhere npx would look
 * the name up on the npm registry), so from another directory the lines name the script itself.
 */
import { basename, dirname, relative, isAbsolute } from 'node:path'

/** `script` is process.argv[1] with symlinks resolved (an npm bin link); `cwd` the working directory. */
export function cliInvocation(script: string | undefined, cwd: string): string {
  if (script === undefined) return 'npx keyless'
  const name = basename(script)
  if (name !== 'keyless.js') return 'npx keyless'
  const root = dirname(dirname(script)) // <package>/bin/keyless.js
  const inside = relative(root, cwd)
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))
    ? 'npx keyless'
    : `node ${script}`
}
