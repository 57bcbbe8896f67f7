import type { AgentDeployment } from '../../../src/shared/contracts/agent-api.js'

/** A claimed deployment as the control plane would hand it to an agent (for runner tests). */
export function deploymentFixture(overrides: Partial<AgentDeployment> = {}): AgentDeployment {
  return {
    id: 'dep_test0000000000001',
    type: 'deploy',
    status: 'running',
    organizationId: 'org_test',
    organizationName: 'Test org',
    projectId: 'prj_test',
    projectName: 'web',
    environmentId: 'env_test',
    environmentName: 'staging',
    deployerEmail: 'dev@example.com',
    template: {
      id: 'tpl_test',
      name: 'hello',
      type: 'custom',
      steps: [{ name: 'hello', run: 'echo hello' }],
      path: null,
      repository: null,
    },
    variables: [],
    credential: null,
    credentialError: null,
    ...overrides,
  }
}
