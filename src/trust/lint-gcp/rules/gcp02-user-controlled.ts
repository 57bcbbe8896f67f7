import { organizationCondition } from '../../setup/gcp/provider.js'
import { claimsRead, onlyUserControlled, USER_CONTROLLED_CLAIMS } from '../claims.js'
import type { GcpLintRule } from '../types.js'

/** GCP02: the condition reads only claims a deployer chooses (userTag, deployerEmail). */
export const userControlledCondition: GcpLintRule = {
  id: 'GCP02',
  name: 'condition-user-controlled',
  severity: 'error',
  title:
    'The attribute condition reads only claims a deployer chooses (userTag, deployerEmail): anyone who can start a deployment satisfies it.',
  check(ctx) {
    return ctx.providers.flatMap((p) => {
      if (typeof p.attributeCondition !== 'string') return []
      const claims = claimsRead(p.attributeCondition, p.attributeMapping)
      if (!onlyUserControlled(claims)) return []
      return [
        {
          message: `${p.label}: the attributeCondition ${JSON.stringify(p.attributeCondition)} reads only ${claims.join(', ')}; ${USER_CONTROLLED_CLAIMS.join(' and ')} are set by whoever starts a deployment, in any organization, so the condition pins nothing.`,
          statement: p.label,
          key: 'attributeCondition',
          fix: `Pin claims keyless sets: ${JSON.stringify(organizationCondition(ctx.options.organizationId ?? '<organizationId>'))}, and assertion.projectId or assertion.environmentId to narrow it.`,
        },
      ]
    })
  },
}
