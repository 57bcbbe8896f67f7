/**
 * The note of `keyless setup azure|gcp` for a credential with no environment to set up: when it
 * is assigned to no project, say so and how to assign it — a credential created without a
 * project is the usual reason, and its deployments would get no token of that cloud.
 */
export function noEnvironmentNote(c: {
  readonly id: string
  readonly name: string
  readonly projectIds: readonly string[]
}): string {
  if (c.projectIds.length > 0) return `credential ${c.name}: no environment to set up`
  return `credential ${c.name} is assigned to no project, so no environment's subject is set up or checked, and its deployments get no token until it is assigned to a project (PUT /api/v1/projects/<project>/credentials/${c.id})`
}
