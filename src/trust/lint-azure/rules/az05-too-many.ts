import { MAX_FICS } from '../../../federation/azure/fic.js'
import type { AzureLintRule, AzureRawFinding } from '../types.js'

/** AZ05: more than Entra's 20 federated credentials on one application. */
export const tooMany: AzureLintRule = {
  id: 'AZ05',
  name: 'too-many-credentials',
  severity: 'error',
  title: `More than ${MAX_FICS} federated credentials on one application or managed identity: Entra refuses the ${MAX_FICS + 1}st.`,
  check(ctx) {
    const out: AzureRawFinding[] = []
    for (const app of ctx.applications) {
      if (app.fics.length <= MAX_FICS) continue
      const who = app.application === null ? 'this application' : `application ${app.application}`
      out.push({
        message: `${who} has ${app.fics.length} federated credentials; Entra keeps at most ${MAX_FICS} per application or managed identity, so the rest cannot be created.`,
        statement: app.application,
        key: null,
        fix: 'Use a subject template with fewer distinct subjects (without {deploymentType} or {runPhase}: one per environment), or split the environments across applications; keyless setup azure suggests one that fits.',
      })
    }
    return out
  },
}
