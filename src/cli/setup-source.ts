/**
 * What `keyless setup azure|gcp` (and the demo of `keyless up`) read from the control plane to
 * gather a setup: the organization's credentials, templates, projects and environments, through
 * the REST client (the server's own routes build theirs from the platform directly).
 */
import type { ControlPlaneClient } from '../client/index.js'
import type { AzureSetupSource } from '../trust/index.js'

export function controlPlaneSetupSource(
  cp: Pick<ControlPlaneClient, 'credentials' | 'templates' | 'projects' | 'environments'>,
): AzureSetupSource {
  return {
    credentials: (o) => cp.credentials(o),
    templates: (o) => cp.templates(o),
    projectIds: async (o) => (await cp.projects(o)).map((p) => p.id),
    environments: (p) => cp.environments(p),
  }
}
