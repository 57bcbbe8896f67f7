/**
 * `keyless deploy --wait` in an organization that no agent serves says so within seconds, with
 * how to start one, instead of waiting silently; once an agent polls, the organization is served
 * (`GET /api/v1/organizations/{id}/agents`) and the deployment runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProcess, startStack, type Stack } from './support/stack.js'
import { createEnv, createOrg, until } from './support/world.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
}, 90_000)
afterAll(async () => {
  await stack.stop()
})

describe('deploy --wait without an agent', () => {
  it('says that no agent serves the organization and how to start one', async () => {
    const org = await createOrg(stack, 'no-agent')
    const env = await createEnv(stack, org, { steps: [{ name: 'hi', run: 'echo hi-from-step' }] })
    expect((await stack.api('GET', `/api/v1/organizations/${org.id}/agents`)).serving).toBe(false)

    const deploy = startProcess(['deploy', '--environment', env.environmentId, '--wait'], {
      KEYLESS_API_KEY: stack.adminKey,
      KEYLESS_SERVER_URL: stack.serverUrl,
    })
    await until(() => deploy.output().includes('no agent serves organization'), 'the hint', 20_000)
    expect(deploy.output()).toContain(`no agent serves organization ${org.id}`)
    expect(deploy.output()).toContain(`keyless agent --server ${stack.serverUrl} --token`)

    stack.startAgent(org.agentToken)
    const exited = new Promise<number | null>((r) => deploy.child.once('exit', r))
    expect(await exited, deploy.output()).toBe(0)
    expect(deploy.output()).toContain('hi-from-step')
    const presence = await stack.api('GET', `/api/v1/organizations/${org.id}/agents`)
    expect(presence).toMatchObject({ serving: true, agents: [{ name: 'no-agent-agent' }] })
  }, 90_000)
})
