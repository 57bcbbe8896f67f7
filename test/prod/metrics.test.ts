/**
 * Metrics after real activity (real server, emulator and agent processes): a deployment that
 * minted a token and exchanged it at the emulator, one whose agent was SIGKILLed (its lease runs
 * out: `agent lost`) and one left queued. The control plane's /metrics and the emulator's
 * /_keyless/metrics are scraped and parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LEASE_SECONDS, startStack, type Stack } from '../e2e/support/stack.js'
import {
  createEnv,
  deploy,
  logText,
  trustedOrg,
  until,
  waitStatus,
  whoamiEnv,
  type Org,
} from '../e2e/support/world.js'

/** `name{labels} value` lines of a Prometheus text answer, keyed by `name{labels}`. */
async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u)
  const samples = new Map<string, number>()
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/u.exec(line)
    if (m !== null) samples.set(m[1]!, Number(m[2]))
  }
  return samples
}

describe('metrics after real activity', () => {
  let stack: Stack
  let org: Org
  let roleArn: string

  beforeAll(async () => {
    stack = await startStack()
    ;({ org, roleArn } = await trustedOrg(stack, 'metrics'))
  }, 90_000)
  afterAll(async () => {
    await stack?.stop()
  })

  it('counts mints, exchanges, deployments by status, queue depth and lease expiries', async () => {
    const agent = stack.startAgent(org.agentToken, { concurrency: 1 })
    const minted = await whoamiEnv(stack, org, roleArn)
    expect((await waitStatus(stack, await deploy(stack, minted))).status).toBe('succeeded')

    const long = await createEnv(stack, org, {
      steps: [{ name: 'long', run: 'echo started; sleep 30' }],
    })
    const lost = await deploy(stack, long)
    await until(async () => (await logText(stack, lost)).includes('started'), 'the step', 60_000)
    await agent.kill('SIGKILL')
    const failed = await waitStatus(stack, lost, undefined, (LEASE_SECONDS + 15) * 1000)
    expect(failed.failure?.code).toBe('agent_lost')
    await deploy(stack, minted)

    const cp = await scrape(`${stack.serverUrl}/metrics`)
    expect(cp.get('keyless_tokens_minted_total{mode="agent"}')).toBeGreaterThanOrEqual(1)
    expect(cp.get('keyless_deployments{status="succeeded"}')).toBe(1)
    expect(cp.get('keyless_deployments{status="failed"}')).toBe(1)
    expect(cp.get('keyless_deployments{status="queued"}')).toBe(1)
    expect(cp.get('keyless_queue_depth')).toBe(1)
    expect(cp.get('keyless_lease_expiries_total{outcome="agent_lost"}')).toBe(1)
    expect(cp.get('keyless_deployments_created_total')).toBe(3)

    const emu = await scrape(`${stack.emulatorUrl}/_keyless/metrics`)
    expect(
      emu.get(
        'keyless_emulator_exchanges_total{action="AssumeRoleWithWebIdentity",decision="allowed",error_code=""}',
      ),
    ).toBeGreaterThanOrEqual(1)
  }, 120_000)
})
