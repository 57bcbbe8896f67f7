/**
 * Names of the federated identity credentials `keyless setup azure` writes: `keyless-` and the
 * subject after the organization's prefix, every character Entra does not allow in a name as `-`
 * (3–120 of `[A-Za-z0-9_-]`, first alphanumeric; src/federation/azure/fic.ts). A name that would be
 * too long, or that two subjects would share, ends in a digest of its subject instead.
 */
import { createHash } from 'node:crypto'
import { ficNameValid } from '../../../federation/azure/fic.js'
import { KeylessError } from '../../../shared/errors.js'

const MAX_NAME = 120
const DIGEST = 8

function digest(subject: string): string {
  return createHash('sha256').update(subject).digest('hex').slice(0, DIGEST)
}

/** The readable name of a subject (may be too long). */
function readable(subject: string, organizationId: string): string {
  const prefix = `org:${organizationId}:`
  const rest = subject.startsWith(prefix) ? subject.slice(prefix.length) : subject
  const cleaned = rest.replace(/[^A-Za-z0-9_-]+/gu, '-').replace(/^-+|-+$/gu, '')
  return cleaned === '' ? 'keyless' : `keyless-${cleaned}`
}

/** Names for subjects, distinct and valid, in the same order. */
export function ficNames(subjects: readonly string[], organizationId: string): string[] {
  const first = subjects.map((s) => readable(s, organizationId))
  const counts = new Map<string, number>()
  for (const n of first) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1)
  return first.map((name, i) => {
    const subject = subjects[i] ?? ''
    const unique = (counts.get(name.toLowerCase()) ?? 0) === 1
    const out =
      unique && name.length <= MAX_NAME
        ? name
        : `${name.slice(0, MAX_NAME - DIGEST - 1).replace(/-+$/u, '')}-${digest(subject)}`
    if (!ficNameValid(out))
      throw new KeylessError('internal_error', `generated FIC name ${out} is not valid`)
    return out
  })
}
