/**
 * The subjects each environment's Azure tokens carry, by application: what the console's Azure
 * setup page lists next to the federated credentials.
 */
import type { DeploymentType } from '../../../shared/contracts/common.js'
import type { AzureSetupCredential } from './model.js'
import { scopedSubjects } from './subjects.js'

export interface EnvironmentSubjects {
  readonly credentialId: string
  readonly projectId: string
  readonly environmentId: string
  readonly subjects: Array<{
    clientId: string
    subject: string
    runPhases: string[]
    deploymentTypes: string[]
  }>
}

export function environmentSubjects(
  credentials: readonly AzureSetupCredential[],
  organizationId: string,
  types?: readonly DeploymentType[],
): EnvironmentSubjects[] {
  const out = new Map<string, EnvironmentSubjects>()
  for (const c of credentials)
    for (const { subject, token } of scopedSubjects(c, organizationId, types)) {
      const key = `${c.credentialId ?? ''}\u0000${token.environmentId ?? ''}`
      const env = out.get(key) ?? {
        credentialId: c.credentialId ?? '',
        projectId: token.projectId,
        environmentId: token.environmentId ?? '',
        subjects: [],
      }
      out.set(key, env)
      const usePlan =
        token.runPhase === 'plan' && c.planClientId !== undefined && c.planClientId !== null
      const clientId = (usePlan ? (c.planClientId ?? '') : c.clientId).toLowerCase()
      const row = env.subjects.find((s) => s.clientId === clientId && s.subject === subject) ?? {
        clientId,
        subject,
        runPhases: [],
        deploymentTypes: [],
      }
      if (!env.subjects.includes(row)) env.subjects.push(row)
      if (!row.runPhases.includes(token.runPhase)) row.runPhases.push(token.runPhase)
      if (!row.deploymentTypes.includes(token.deploymentType))
        row.deploymentTypes.push(token.deploymentType)
    }
  return [...out.values()]
}
