import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startFakeControlPlane,
  type FakeControlPlane,
  type FakeDeployment,
} from '../../test/e2e/support/fake-control-plane.js'
import { deploymentFixture } from '../../test/e2e/support/fixture.js'
import { systemClock } from '../shared/clock.js'
import { claimKeySchema } from '../shared/contracts/agent-api.js'
import { silentLogger } from '../shared/logger.js'
import { Agent, type AgentEvent } from './agent.js'

let cp: FakeControlPlane
let agent: Agent
const events: AgentEvent[] = []
const workDir = mkdtempSync(join(tmpdir(), 'keyless-agent-'))

beforeAll(async () => {
  cp = await startFakeControlPlane()
  agent = new Agent(
    {
      servers: [cp.url],
      token: cp.token,
      workDir,
      concurrency: 2,
      name: 'test-agent',
      claimWaitSeconds: 1,
      cancelGraceSeconds: 1,
      baseEnv: { PATH: '/usr/bin:/bin' },
    },
    { clock: systemClock, logger: silentLogger(), onEvent: (e) => events.push(e) },
  )
  agent.start()
})

afterAll(async () => {
  await agent.stop({ cancelRunning: true })
  await cp.close()
  rmSync(workDir, { recursive: true, force: true })
})

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Waits up to `ms` for `check`; whether it held (a test asserts on what happened, not on time). */
async function within(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  return check()
}

const finished = (d: FakeDeployment): boolean =>
  ['succeeded', 'failed', 'cancelled'].includes(d.state)

function custom(id: string, ...runs: string[]): ReturnType<typeof deploymentFixture> {
  return deploymentFixture({
    id,
    template: {
      id: 'tpl',
      name: 't',
      type: 'custom',
      steps: runs.map((run, i) => ({ name: `s${i + 1}`, run })),
      path: null,
      repository: null,
    },
    variables: [{ name: 'PASSWORD', value: 'p4ssw0rd-secret', sensitive: true }],
  })
}

describe('Agent against the agent API', () => {
  it('claims, starts, streams logs in order, reports steps and the final status', async () => {
    const d = cp.enqueue(
      custom('dep_a1', 'for i in 1 2 3 4 5; do echo line-$i; done', 'echo "pw=$PASSWORD"'),
    )
    await until(() => finished(d), 'the deployment to finish')
    expect(d.state).toBe('succeeded')
    expect(d.statuses.slice(0, 2)).toEqual([
      { status: 'running', beforeSteps: true },
      { status: 'running' },
    ])
    const texts = d.logs.filter((l) => l.stream === 'stdout').map((l) => l.text)
    expect(texts).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'pw=***'])
    const steps = d.statuses.flatMap((s) => (s.step === undefined ? [] : [s.step]))
    expect(steps.filter((s) => s.status === 'succeeded').map((s) => s.name)).toEqual(['s1', 's2'])
    // The final status comes after every log line, with the last step's end.
    expect(d.statuses.at(-1)).toEqual({
      status: 'succeeded',
      step: { index: 1, name: 's2', status: 'succeeded', exitCode: 0 },
    })
  })

  it('reports a failing step with its exit code', async () => {
    const d = cp.enqueue(custom('dep_a2', 'echo before', 'exit 7'))
    await until(() => finished(d), 'the deployment to finish')
    expect(d.state).toBe('failed')
    expect(d.statuses.at(-1)).toMatchObject({
      status: 'failed',
      message: 'step 2 (s2) exited with code 7',
    })
  })

  it('stops a running deployment when a heartbeat says cancel was requested', async () => {
    const d = cp.enqueue(custom('dep_a3', 'echo started; sleep 60'))
    await until(() => d.logs.some((l) => l.text === 'started'), 'the step to start')
    d.cancelRequested = true
    await until(() => finished(d), 'the deployment to be cancelled')
    expect(d.state).toBe('cancelled')
  })

  it('stops and reports nothing more when the lease is lost', async () => {
    const d = cp.enqueue(custom('dep_a4', 'echo started; sleep 60'))
    await until(() => d.logs.some((l) => l.text === 'started'), 'the step to start')
    d.leaseLost = true
    await until(
      () => events.some((e) => e.type === 'lease-lost' && e.deploymentId === 'dep_a4'),
      'the agent to notice',
    )
    await until(() => !agent.running.includes('dep_a4'), 'the run to end')
    expect(d.statuses.some((s) => s.status !== 'running')).toBe(false)
  })

  it('mints the token while the start report is on its way; the first step waits for its answer', async () => {
    const marker = join(workDir, 'dep_a6-ran')
    const d = cp.enqueue(custom('dep_a6', `touch '${marker}'`))
    let ranBeforeAnswer: boolean | undefined
    d.onStart = async () => {
      await within(() => d.trail.includes('token'), 3000)
      ranBeforeAnswer = existsSync(marker)
      return undefined
    }
    await until(() => finished(d), 'the deployment to finish')
    expect(d.state).toBe('succeeded')
    expect(d.trail.slice(0, 4)).toEqual([
      'running (beforeSteps)',
      'running',
      'token',
      'start answered',
    ])
    expect(ranBeforeAnswer).toBe(false)
    expect(existsSync(marker)).toBe(true)
    // What the run logged while it waited reaches the log, in order, before the step's report.
    expect(d.logs[0]?.text).toMatch(/^deployment dep_a6 \(deploy\)/u)
    expect(d.statuses[2]).toEqual({
      status: 'running',
      step: { index: 0, name: 's1', status: 'running' },
    })
  })

  it('runs no step and sends nothing of the run when the start report is refused', async () => {
    const marker = join(workDir, 'dep_a7-ran')
    const d = cp.enqueue(custom('dep_a7', `touch '${marker}'`))
    d.onStart = async () => {
      // The run has prepared and logged by then: none of it may reach the control plane.
      await within(() => d.trail.includes('token'), 3000)
      return 409
    }
    await until(() => d.trail.includes('start refused'), 'the refusal')
    await until(() => !agent.running.includes('dep_a7'), 'the run to end')
    expect(existsSync(marker)).toBe(false)
    expect(d.logs).toEqual([])
    expect(d.statuses).toEqual([{ status: 'running', beforeSteps: true }, { status: 'running' }])
    expect(existsSync(join(workDir, 'dep_a7'))).toBe(false)
  })

  it('sends the log of a step without output in one batch', async () => {
    const d = cp.enqueue(custom('dep_a8', 'true'))
    await until(() => finished(d), 'the deployment to finish')
    expect(d.state).toBe('succeeded')
    expect(d.batches).toBe(1)
    expect(d.logs.at(-1)?.text).toBe('step 1/1: s1')
  })

  it('claims again with the same key when a claim’s answer was lost, and runs it once', async () => {
    cp.loseClaimAnswers = 1
    const d = cp.enqueue(custom('dep_a9', 'echo ran-once'))
    await until(() => finished(d), 'the deployment to finish')
    expect(d.state).toBe('succeeded')
    expect(d.claims).toBe(1)
    expect(d.redeliveries).toBe(1)
    expect(d.logs.filter((l) => l.text === 'ran-once')).toHaveLength(1)
    expect(claimKeySchema.safeParse(d.claimKey).success).toBe(true)
    // Later claims (both workers poll on) carry new keys: the answered claim dropped its key.
    const later = cp.claimKeys.length
    await until(() => cp.claimKeys.length >= later + 2, 'two more claims')
    // The claim whose answer was lost and its retry: one key, sent twice.
    expect(cp.claimKeys.filter((k) => k === d.claimKey)).toHaveLength(2)
  })

  it('never runs the same deployment twice, even when handed it again', async () => {
    const d = cp.enqueue(custom('dep_a5', 'echo ran-once'))
    await until(() => finished(d), 'the deployment to finish')
    cp.requeue('dep_a5')
    await until(() => d.claims === 2, 'the second hand-out')
    await new Promise((r) => setTimeout(r, 300))
    expect(d.logs.filter((l) => l.text === 'ran-once')).toHaveLength(1)
  })
})

describe('Agent shutdown', () => {
  // A control plane of its own: no other agent's poll is waiting there.
  let own: FakeControlPlane
  beforeAll(async () => {
    own = await startFakeControlPlane()
  })
  afterAll(async () => {
    await own.close()
  })
  function second(name: string): Agent {
    const a = new Agent(
      {
        servers: [own.url],
        token: own.token,
        workDir,
        concurrency: 1,
        name,
        claimWaitSeconds: 1,
        cancelGraceSeconds: 1,
        baseEnv: { PATH: '/usr/bin:/bin' },
      },
      { clock: systemClock, logger: silentLogger() },
    )
    return a
  }

  it('graceful: stops claiming, lets the running deployment finish', async () => {
    const a = second('graceful')
    a.start()
    const d = own.enqueue(custom('dep_s1', 'echo started; sleep 1; echo finished'))
    await until(() => d.logs.some((l) => l.text === 'started'), 'the step to start')
    await a.stop()
    expect(d.state).toBe('succeeded')
    expect(d.logs.some((l) => l.text === 'finished')).toBe(true)
    const later = own.enqueue(custom('dep_s2', 'echo never'))
    await new Promise((r) => setTimeout(r, 300))
    expect(later.state).toBe('queued')
  })

  it('forced: cancels running deployments, which end failed "agent stopped"', async () => {
    const a = second('forced')
    a.start()
    const d = own.deployments.get('dep_s2')!
    const e = own.enqueue(custom('dep_s3', 'echo started; sleep 60'))
    await until(() => finished(d), 'the queued deployment')
    await until(() => e.logs.some((l) => l.text === 'started'), 'the step to start')
    await a.stop({ cancelRunning: true })
    expect(e.state).toBe('failed')
    expect(e.statuses.at(-1)?.message).toBe('the agent was stopped during the deployment')
  })

  it('gives an unanswered claim up on stop: another agent claims it at once', async () => {
    own.stallClaimAnswers = 1
    const a = second('stalled')
    a.start()
    const d = own.enqueue(custom('dep_s4', 'echo ran-once'))
    await until(() => d.state === 'claimed', 'the claim without an answer')
    const key = d.claimKey
    await a.stop()
    // Back in the queue by its claim key, not by a lease running out (the fake has none).
    expect(d.state).toBe('queued')
    expect(own.releasedClaims).toEqual([key])
    const b = second('next')
    b.start()
    await until(() => finished(d), 'the other agent to run it')
    await b.stop()
    expect(d.state).toBe('succeeded')
    expect(d.claims).toBe(2)
    expect(d.logs.filter((l) => l.text === 'ran-once')).toHaveLength(1)
  })
})

describe('Agent with a refused token', () => {
  it('stops and says so instead of retrying forever', async () => {
    const seen: AgentEvent[] = []
    const a = new Agent(
      {
        servers: [cp.url],
        token: 'not-the-token',
        workDir,
        concurrency: 2,
        name: 'refused',
        claimWaitSeconds: 1,
        cancelGraceSeconds: 1,
        baseEnv: {},
      },
      { clock: systemClock, logger: silentLogger(), onEvent: (e) => seen.push(e) },
    )
    a.start()
    await until(() => seen.some((e) => e.type === 'fatal'), 'the fatal event')
    await a.stop()
    const fatal = seen.find((e) => e.type === 'fatal')
    expect(fatal).toMatchObject({ message: /refused the agent token: bad agent token/ })
  })
})
