import { organizationCondition } from '../../setup/gcp/provider.js'
import type { GcpLintRule } from '../types.js'

/** GCP01: the provider has no attribute condition: every token of the issuer is accepted. */
export const noCondition: GcpLintRule = {
  id: 'GCP01',
  name: 'no-attribute-condition',
  severity: 'error',
  title:
    "The provider has no attribute condition: every token of keyless's issuer — any organization's — is exchanged.",
  check(ctx) {
    return ctx.providers
      .filter((p) => typeof p.attributeCondition !== 'string' || p.attributeCondition.trim() === '')
      .map((p) => ({
        message: `${p.label}: no attributeCondition. keyless's issuer signs the tokens of every organization it serves; without a condition STS exchanges all of them, and only the bindings stand between another organization and your service accounts.`,
        statement: p.label,
        key: 'attributeCondition',
        fix: `Set "attributeCondition": ${JSON.stringify(organizationCondition(ctx.options.organizationId ?? '<organizationId>'))} (keyless setup gcp writes it).`,
      }))
  },
}
