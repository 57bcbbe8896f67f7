import { audienceProblems } from '../shared/audience.js'
import { KeylessError } from '../shared/errors.js'
import type { Tx } from './context.js'

/**
 * The audience of an Azure or GCP credential, checked against the tenant boundary
 * (docs/security.md): not in the form of another organization's default (`azure:org_…`), and not
 * the audience of another organization (its own or one of its credentials'), so a federated
 * credential or provider that pins `aud` admits one organization only.
 */
export async function checkedCredentialAudience(
  trx: Tx,
  audience: string,
  organizationId: string,
): Promise<string> {
  const problems = audienceProblems(audience, organizationId)
  if (problems.length > 0)
    throw new KeylessError(
      'validation_failed',
      `invalid request: audience: ${problems.join('; ')}`,
      {
        fields: problems.map((message) => ({ path: 'audience', message })),
      },
    )
  if (await audienceUsedByAnother(trx, audience, organizationId))
    throw new KeylessError(
      'audience_taken',
      `audience ${JSON.stringify(audience)} belongs to another organization; every organization needs its own audience`,
      { fields: [{ path: 'audience', message: 'belongs to another organization' }] },
    )
  return audience
}

/** Whether another organization uses the audience, as its own or as one of its credentials'. */
export async function audienceUsedByAnother(
  trx: Tx,
  audience: string,
  organizationId: string,
): Promise<boolean> {
  const [org, credential] = await Promise.all([
    trx
      .selectFrom('organizations')
      .select('id')
      .where('audience', '=', audience)
      .where('id', '!=', organizationId)
      .executeTakeFirst(),
    trx
      .selectFrom('credentials')
      .select('id')
      .where('audience', '=', audience)
      .where('organization_id', '!=', organizationId)
      .executeTakeFirst(),
  ])
  return org !== undefined || credential !== undefined
}
