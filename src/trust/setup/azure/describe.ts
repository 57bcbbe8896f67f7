/** The description of a planned federated credential: which keyless tokens it admits. */
import { MAX_FIELD } from '../../../federation/azure/fic.js'
import type { AdmittedToken } from './model.js'

const list = (values: readonly string[]): string => [...new Set(values)].join(', ')

function scopes(admits: readonly AdmittedToken[]): string {
  const envs = [...new Set(admits.map((a) => a.environmentId).filter((e) => e !== null))]
  const projects = [...new Set(admits.map((a) => a.projectId))]
  if (envs.length === 0) return `project ${list(projects)}`
  if (envs.length === 1) return `environment ${envs[0] ?? ''} (project ${list(projects)})`
  return `${envs.length} environments of project ${list(projects)}`
}

export function describeAdmits(admits: readonly AdmittedToken[]): string {
  const types = list(admits.map((a) => a.deploymentType))
  const phases = list(admits.map((a) => a.runPhase))
  return `keyless: ${scopes(admits)}; ${types} deployments; run phase ${phases}`.slice(0, MAX_FIELD)
}
