/**
 * What `setup azure --apply` does to one application's federated credentials: a planned FIC whose
 * issuer and subject already exist is kept (Entra keeps one per issuer and subject), the others
 * are created. Decided before the first write: a name taken by another subject, or more than
 * Entra's 20 in all, refuses the whole application with nothing written.
 */
import { MAX_FICS } from '../../../federation/azure/fic.js'
import type { PlannedFic } from './model.js'

export interface ExistingFic {
  readonly name: string
  readonly issuer: string
  readonly subject: string | null
  readonly audiences: readonly string[]
}

export interface FicActions {
  readonly create: readonly PlannedFic[]
  readonly keep: ReadonlyArray<{ readonly planned: PlannedFic; readonly existing: ExistingFic }>
  /** Reasons to write nothing. */
  readonly problems: readonly string[]
  /** Kept FICs that cannot admit the tokens (another audience). */
  readonly warnings: readonly string[]
}

export function diffFics(
  planned: readonly PlannedFic[],
  existing: readonly ExistingFic[],
): FicActions {
  const create: PlannedFic[] = []
  const keep: Array<{ planned: PlannedFic; existing: ExistingFic }> = []
  const problems: string[] = []
  const warnings: string[] = []
  for (const p of planned) {
    const same = existing.find((e) => e.issuer === p.issuer && e.subject === p.subject)
    if (same !== undefined) {
      keep.push({ planned: p, existing: same })
      if (!same.audiences.includes(p.audiences[0]))
        warnings.push(
          `federated credential ${same.name} has subject ${p.subject} but audience ${same.audiences.join(', ')}, not ${p.audiences[0]}: tokens are refused (AADSTS700212) until its audience is ${p.audiences[0]}`,
        )
      continue
    }
    const clash = existing.find((e) => e.name.toLowerCase() === p.name.toLowerCase())
    if (clash !== undefined)
      problems.push(
        `a federated credential named ${clash.name} already exists with issuer ${clash.issuer} and subject ${clash.subject ?? '(none)'}; delete or rename it to create the one for ${p.subject}`,
      )
    else create.push(p)
  }
  if (existing.length + create.length > MAX_FICS)
    problems.push(
      `${existing.length} federated credentials exist and ${create.length} more are needed: Entra allows at most ${MAX_FICS}; delete the ones no longer used first`,
    )
  return { create, keep, problems, warnings }
}
