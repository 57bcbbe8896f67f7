/**
 * A minimal stand-in for the control plane's agent API (`/agent/v1`), for agent unit tests: an
 * in-memory queue, leases, idempotent claims (a claim key answers its still-claimed deployment
 * again, and giving the key up puts it back in the queue), heartbeats with cancel, logs and status, token minting through a given function. The real server is tested end to end in test/e2e.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { DeploymentStatus } from '../../../src/shared/contracts/common.js'
import type { AddressInfo } from 'node:net'
import type {
  AgentDeployment,
  LogLine,
  StatusRequest,
} from '../../../src/shared/contracts/agent-api.js'

export interface FakeDeployment {
  deployment: AgentDeployment
  state: DeploymentStatus
  claims: number
  /** The claim key of the claim that handed it out (src/platform/queue.ts). */
  claimKey: string | undefined
  /** Claims answered again by their key, without a new hand-out. */
  redeliveries: number
  logs: LogLine[]
  statuses: StatusRequest[]
  cancelRequested: boolean
  /** Answer heartbeats with 409 (lease lost). */
  leaseLost: boolean
  /**
   * Awaited before the `running` report that lets steps start (no `beforeSteps`, no step) is
   * answered; a status code it returns refuses the report with `invalid_state`.
   */
  onStart?: () => Promise<number | undefined>
  /** Log batches received. */
  batches: number
  /** Status reports, token mints and the answer to the start report, in the order they came. */
  trail: string[]
}

export interface FakeControlPlane {
  readonly url: string
  readonly token: string
  readonly deployments: Map<string, FakeDeployment>
  enqueue(deployment: AgentDeployment): FakeDeployment
  /** Put an already-claimed deployment back in the queue (simulates a buggy double hand-out). */
  requeue(id: string): void
  /**
   * How many of the next claims that hand out a deployment lose their answer: the claim is kept
   * (the deployment is `claimed`), then the connection is cut before the answer is sent.
   */
  loseClaimAnswers: number
  /**
   * How many of the next claims that hand out a deployment never answer: the claim is kept (the
   * deployment is `claimed`) and the request waits until the agent goes away.
   */
  stallClaimAnswers: number
  /** The claim keys given up (`POST /agent/v1/claim/release`) that put a deployment back. */
  releasedClaims: string[]
  /** The claim key of every claim request, in the order they came. */
  claimKeys: Array<string | undefined>
  heartbeats: number
  close(): Promise<void>
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text === '' ? {} : JSON.parse(text)
}

export async function startFakeControlPlane(
  mint: (d: AgentDeployment) => Promise<string> = () => Promise.resolve('e30.e30.sig'),
): Promise<FakeControlPlane> {
  const token = 'agent-token-for-tests'
  const deployments = new Map<string, FakeDeployment>()
  const queue: string[] = []
  const waiters: Array<() => void> = []
  const fake = {
    heartbeats: 0,
    loseClaimAnswers: 0,
    stallClaimAnswers: 0,
    claimKeys: [] as Array<string | undefined>,
    releasedClaims: [] as string[],
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, payload?: unknown): void => {
        if (payload === undefined) {
          res.writeHead(status).end()
          return
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload))
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        send(401, { error: { code: 'unauthorized', message: 'bad agent token' } })
        return
      }
      const input = (await body(req)) as Record<string, unknown>
      const url = req.url ?? ''
      let closed = false
      res.on('close', () => {
        closed = true
        for (const w of waiters.splice(0)) w()
      })
      if (url === '/agent/v1/claim') {
        const key = input['claimKey'] as string | undefined
        fake.claimKeys.push(key)
        const again = [...deployments.values()].find(
          (d) => key !== undefined && d.state === 'claimed' && d.claimKey === key,
        )
        if (again !== undefined) {
          again.redeliveries += 1
          send(200, {
            deployment: again.deployment,
            leaseExpiresAt: new Date(Date.now() + 3000).toISOString(),
          })
          return
        }
        const wait = Number(input['waitSeconds'] ?? 0) * 1000
        const deadline = Date.now() + wait
        while (queue.length === 0 && Date.now() < deadline && !closed) {
          await new Promise<void>((resolve) => {
            waiters.push(resolve)
            setTimeout(resolve, Math.max(0, deadline - Date.now()))
          })
        }
        if (closed) return
        const id = queue.shift()
        if (id === undefined) {
          send(204)
          return
        }
        const d = deployments.get(id)!
        d.state = 'claimed'
        d.claims += 1
        d.claimKey = key
        if (fake.stallClaimAnswers > 0) {
          fake.stallClaimAnswers -= 1
          return
        }
        if (fake.loseClaimAnswers > 0) {
          fake.loseClaimAnswers -= 1
          req.socket.destroy()
          return
        }
        send(200, {
          deployment: d.deployment,
          leaseExpiresAt: new Date(Date.now() + 3000).toISOString(),
        })
        return
      }
      if (url === '/agent/v1/claim/release') {
        const key = input['claimKey'] as string
        const given = [...deployments.values()].find(
          (d) => d.state === 'claimed' && d.claimKey === key,
        )
        if (given === undefined) {
          send(204)
          return
        }
        given.state = 'queued'
        given.claimKey = undefined
        fake.releasedClaims.push(key)
        queue.push(given.deployment.id)
        for (const w of waiters.splice(0)) w()
        send(200, { deployment: { id: given.deployment.id, status: 'queued' } })
        return
      }
      const m = /^\/agent\/v1\/deployments\/([^/]+)\/(heartbeat|logs|status|oidc-token)$/u.exec(url)
      const d = m === null ? undefined : deployments.get(decodeURIComponent(m[1]!))
      if (m === null || d === undefined) {
        send(404, { error: { code: 'not_found', message: 'no such deployment' } })
        return
      }
      switch (m[2]) {
        case 'heartbeat':
          fake.heartbeats += 1
          if (d.leaseLost) send(409, { error: { code: 'conflict', message: 'lease lost' } })
          else
            send(200, {
              leaseExpiresAt: new Date(Date.now() + 3000).toISOString(),
              cancelRequested: d.cancelRequested,
            })
          return
        case 'logs':
          d.batches += 1
          d.logs.push(...(input['lines'] as LogLine[]))
          send(204)
          return
        case 'status': {
          const s = input as unknown as StatusRequest
          d.statuses.push(s)
          const start =
            s.status === 'running' && s.beforeSteps !== true && Object.keys(s).length === 1
          d.trail.push(`${s.status}${s.beforeSteps === true ? ' (beforeSteps)' : ''}`)
          const refused = start && d.onStart !== undefined ? await d.onStart() : undefined
          if (refused !== undefined) {
            d.trail.push('start refused')
            send(refused, { error: { code: 'invalid_state', message: 'refused by the test' } })
            return
          }
          if (start) d.trail.push('start answered')
          if (s.status !== 'running' || (s.step === undefined && s.assumedRoleArn === undefined))
            d.state = s.status
          send(200, { deployment: { id: d.deployment.id, status: d.state } })
          return
        }
        case 'oidc-token':
          d.trail.push('token')
          send(200, {
            token: await mint(d.deployment),
            expiresAt: new Date(Date.now() + 600_000).toISOString(),
          })
          return
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    token,
    deployments,
    enqueue(deployment: AgentDeployment): FakeDeployment {
      const d: FakeDeployment = {
        deployment,
        state: 'queued',
        claims: 0,
        claimKey: undefined,
        redeliveries: 0,
        logs: [],
        statuses: [],
        cancelRequested: false,
        leaseLost: false,
        trail: [],
        batches: 0,
      }
      deployments.set(deployment.id, d)
      queue.push(deployment.id)
      for (const w of waiters.splice(0)) w()
      return d
    },
    requeue(id: string): void {
      queue.push(id)
      for (const w of waiters.splice(0)) w()
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
