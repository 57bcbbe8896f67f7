/**
 * What `keyless explain --cloud azure` lets the Entra chain see (src/federation/azure/): one
 * application in one tenant with the federated credentials it was given. Credentials Entra would
 * refuse to store are left out, and said why; the signature is never checked offline.
 */
import type { AzureWorld } from '../../../federation/azure/exchange.js'
import {
  checkFic,
  DEFAULT_FLEXIBLE_ISSUERS,
  MAX_FIELD,
  type Fic,
  type FicInput,
  type FicProblem,
} from '../../../federation/azure/fic.js'

export const OFFLINE_SIGNATURE =
  'not checked: explain works offline on the claims (Entra verifies it against the issuer JWKS)'

/** An application's credential as read (Graph's shape); its fields are not yet trusted. */
export type FicRecord = Omit<FicInput, 'description'> & { readonly description?: unknown }

export interface ExplainedFics {
  readonly fics: readonly Fic[]
  /** `<name>: <why Entra refuses it>`, one each. */
  readonly refused: readonly string[]
}

function problemText(p: FicProblem): string {
  switch (p.kind) {
    case 'name-invalid':
      return 'the name is not 3–120 letters, digits, - and _ (starting with a letter or digit)'
    case 'field-missing':
      return `it has no ${p.field}`
    case 'field-too-long':
      return `its ${p.field} is longer than ${MAX_FIELD} characters`
    case 'field-not-string':
      return `its ${p.field} is not a string`
    case 'audience-count':
      return 'it does not have exactly one audience'
    case 'subject-and-expression':
      return 'it has both a subject and a claims-matching expression'
    case 'expression-invalid':
      return `its claims-matching expression is invalid: ${p.detail}`
    case 'expression-not-allowed':
      return `issuer ${p.issuer} may not use a claims-matching expression`
    default:
      return p.kind
  }
}

/** The credentials Entra would hold (each checked as Graph beta checks a write). */
export function ficsOf(records: readonly FicRecord[]): ExplainedFics {
  const fics: Fic[] = []
  const refused: string[] = []
  records.forEach((record, i) => {
    const checked = checkFic(
      { ...record, description: record.description ?? null },
      { flexible: true, flexibleIssuers: DEFAULT_FLEXIBLE_ISSUERS },
    )
    const name = typeof record.name === 'string' ? record.name : `[${i}]`
    if ('kind' in checked) refused.push(`${name}: ${problemText(checked)}`)
    else fics.push({ ...checked, id: `explain-${i}`, createdAtMs: 0 })
  })
  return { fics, refused }
}

export function offlineWorld(
  tenantId: string,
  clientId: string,
  displayName: string,
  fics: readonly Fic[],
): AzureWorld {
  return {
    tenantId,
    knowsTenant: (tenant) => tenant === tenantId,
    client: (id) =>
      id === clientId
        ? { kind: 'application', clientId, principalId: clientId, displayName, fics }
        : undefined,
    ownIssuers: [],
    verifySignature: () => ({ status: 'skipped', detail: OFFLINE_SIGNATURE }),
  }
}
