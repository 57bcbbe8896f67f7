/**
 * The provider `keyless setup gcp` writes for a credential: issuer exactly keyless's, allowed
 * audiences the credential's, `google.subject` and the organization, project and environment
 * mapped from the token, and a condition that admits this organization's tokens only.
 */
import { poolName, providerName, validWorkloadId } from '../../../federation/gcp/names.js'
import { KeylessError } from '../../../shared/errors.js'
import type { GcpSetupCredential, PlannedProvider } from './model.js'

export const GCP_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
  'google.subject': 'assertion.sub',
  'attribute.organization': 'assertion.organizationId',
  'attribute.project': 'assertion.projectId',
  'attribute.environment': 'assertion.environmentId',
}

/** The CEL condition pinning the organization (ids are `[a-z0-9_]`, quoted all the same). */
export function organizationCondition(organizationId: string): string {
  return `assertion.organizationId == '${organizationId.replace(/[\\']/gu, (c) => `\\${c}`)}'`
}

export function checkIds(c: GcpSetupCredential, who: string): void {
  if (!/^\d{1,20}$/u.test(c.projectNumber))
    throw new KeylessError(
      'usage_error',
      `${who}: project number ${JSON.stringify(c.projectNumber)} is not a number (Google names pools under the project number, not the project id)`,
    )
  for (const [what, id] of [
    ['pool id', c.poolId],
    ['provider id', c.providerId],
  ] as const)
    if (!validWorkloadId(id))
      throw new KeylessError(
        'usage_error',
        `${who}: ${what} ${JSON.stringify(id)} is not valid: 4–32 of a-z, 0-9 and -, not starting with gcp- or -, not ending with -`,
      )
}

export function plannedProvider(
  c: GcpSetupCredential,
  issuer: string,
  organizationId: string,
): PlannedProvider {
  return {
    projectNumber: c.projectNumber,
    poolId: c.poolId,
    providerId: c.providerId,
    name: providerName(c),
    issuerUri: issuer,
    allowedAudiences: [c.audience],
    attributeMapping: GCP_ATTRIBUTE_MAPPING,
    attributeCondition: organizationCondition(organizationId),
  }
}

export { poolName }
