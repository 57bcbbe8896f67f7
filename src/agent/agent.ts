import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../shared/clock.js'
import type { ClaimResponse, LogLine, StatusRequest } from '../shared/contracts/agent-api.js'
import { isKeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { runDeployment } from '../runner/index.js'
import { usesManagedState } from '../runner/state-backend.js'
import type { RunResult, StepReport } from '../runner/index.js'
import { newClaimKey } from './claim-key.js'
import { AgentApiClient } from './client.js'
import { LeaseKeeper } from './lease-keeper.js'
import { Outbox } from './outbox.js'
import { isReplicaGone, loggableUrl } from './replicas.js'
import { StartGate } from './start-gate.js'
import { StateForwarder } from './state-forwarder.js'

/**
 * The self-hosted agent (docs/architecture.md §5): `concurrency` workers each long-poll the control
 * plane for a deployment, hold its lease with heartbeats, run it with the runner, stream its log in
 * batches and report step and final status. A deployment is never run twice by an agent: the
 * control plane hands each one out once, and the agent refuses an id it has already run.
 */
export interface AgentSettings {
  /**
   * The control plane's URL, or its replicas' in order: a replica that stops answering (or
   * answers 503) is left for the next one (src/agent/replicas.ts).
   */
  readonly servers: readonly string[]
  readonly token: string
  readonly workDir: string
  readonly concurrency: number
  readonly name: string
  readonly claimWaitSeconds: number
  readonly cancelGraceSeconds: number
  /** The environment steps start from (an allowlist of it is passed on). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>
  /** Keep each deployment's work directory after it ends (default: removed). */
  readonly keepWorkDirs?: boolean
  /** Test-only: cap on the credential lifetime the refresh endpoint reports (see RunnerOptions). */
  readonly refreshHandoutSeconds?: number
  readonly refreshBeforeSeconds?: number
  /** Extra CAs for the Azure and GCP exchanges (`--cloud-ca-file`, see RunnerOptions). */
  readonly cloudCaFile?: string
}

/** What happened, for the CLI's output and for benchmarks. */
export type AgentEvent =
  | { readonly type: 'claimed'; readonly deploymentId: string; readonly at: number }
  | { readonly type: 'started'; readonly deploymentId: string; readonly at: number }
  | {
      readonly type: 'finished'
      readonly deploymentId: string
      readonly at: number
      readonly result: RunResult
    }
  | { readonly type: 'lease-lost'; readonly deploymentId: string; readonly at: number }
  | { readonly type: 'error'; readonly message: string; readonly at: number }
  /** The agent cannot go on (its token was refused); it stopped claiming. */
  | { readonly type: 'fatal'; readonly message: string; readonly at: number }

export interface AgentDeps {
  readonly clock: Clock
  readonly logger: Logger
  readonly onEvent?: (event: AgentEvent) => void
}

export class Agent {
  readonly #s: AgentSettings
  readonly #d: AgentDeps
  readonly #client: AgentApiClient
  /** One controller per claim in flight (a shared signal would collect fetch's abort listeners). */
  readonly #claims = new Set<AbortController>()
  readonly #runs = new Map<string, AbortController>()
  readonly #ran = new Set<string>()
  #workers: Promise<void>[] = []
  #stopping = false
  #shutdownCancels = false

  constructor(settings: AgentSettings, deps: AgentDeps) {
    this.#s = settings
    this.#d = deps
    this.#client = new AgentApiClient(settings.servers, settings.token, deps.logger)
  }

  /** Deployments running now, by id. */
  get running(): readonly string[] {
    return [...this.#runs.keys()]
  }

  start(): void {
    for (let i = 0; i < this.#s.concurrency; i++) this.#workers.push(this.#work(i))
  }

  /**
   * Stops claiming; a deployment claimed but not started is handed back to the queue, and so is
   * one a claim attempt without an answer may hold (given up by its claim key). Running
   * deployments finish, unless `cancelRunning` or `graceSeconds` (> 0) ran out: then their steps
   * get SIGTERM (then SIGKILL after the cancel grace) and they end failed ("the agent was
   * stopped"). Resolves when every worker is done and every report was delivered.
   */
  async stop(options: { cancelRunning?: boolean; graceSeconds?: number } = {}): Promise<void> {
    this.#stopping = true
    for (const c of this.#claims) c.abort()
    if (options.cancelRunning === true) this.#cancelAll()
    const grace = options.graceSeconds ?? 0
    const timer = grace > 0 ? setTimeout(() => this.#cancelAll(), grace * 1000) : undefined
    try {
      await Promise.all(this.#workers)
    } finally {
      clearTimeout(timer)
    }
  }

  #cancelAll(): void {
    this.#shutdownCancels = true
    for (const c of this.#runs.values()) c.abort()
  }

  #emit(event: AgentEvent): void {
    this.#d.onEvent?.(event)
  }

  async #work(worker: number): Promise<void> {
    let backoffMs = 500
    // Kept while an attempt gets no answer: the retry (maybe on another replica) is then answered
    // the deployment the lost answer carried, if the server had claimed one.
    let claimKey = newClaimKey()
    // The attempt with this key got no answer: it may have claimed a deployment nobody received.
    let unanswered = false
    const agentName = `${this.#s.name}#${worker}`
    while (!this.#stopping) {
      let claim: ClaimResponse | null
      const poll = new AbortController()
      this.#claims.add(poll)
      try {
        claim = await this.#client.claim(this.#s.claimWaitSeconds, agentName, claimKey, poll.signal)
        backoffMs = 500
        claimKey = newClaimKey()
        unanswered = false
      } catch (error) {
        unanswered = true
        if (this.#stopping) break
        const message = error instanceof Error ? error.message : String(error)
        if (isKeylessError(error) && error.code === 'unauthorized') {
          // A refused agent token will not get better by retrying (nor can it release anything).
          unanswered = false
          this.#stopping = true
          this.#emit({
            type: 'fatal',
            message: `the control plane refused the agent token: ${message}`,
            at: this.#d.clock.now().getTime(),
          })
          break
        }
        this.#d.logger.warn({ worker, err: message }, 'claim failed; retrying')
        this.#emit({ type: 'error', message, at: this.#d.clock.now().getTime() })
        await sleep(backoffMs)
        backoffMs = Math.min(backoffMs * 2, 10_000)
        continue
      } finally {
        this.#claims.delete(poll)
      }
      if (claim === null) continue
      await this.#runClaimed(claim)
    }
    if (unanswered) await this.#giveUpClaim(claimKey, agentName)
  }

  /**
   * Stopping while a claim attempt had no answer (its long poll aborted, or its retry not sent):
   * the deployment it may have claimed goes back to the queue now instead of after its lease.
   */
  async #giveUpClaim(claimKey: string, agentName: string): Promise<void> {
    // Each replica at most once: one that is gone moves the next try to the next one.
    for (let tries = this.#client.replicas.urls.length; tries > 0; tries--) {
      try {
        await this.#client.releaseClaim(claimKey, agentName)
        return
      } catch (error) {
        if (tries > 1 && isReplicaGone(error)) continue
        // Its lease runs out and the control plane requeues it then (nothing started).
        this.#d.logger.warn({ err: messageOf(error) }, 'could not give the unanswered claim up')
        return
      }
    }
  }

  async #runClaimed(claim: ClaimResponse): Promise<void> {
    const { deployment } = claim
    const id = deployment.id
    const log = this.#d.logger.child({ deploymentId: id })
    this.#emit({ type: 'claimed', deploymentId: id, at: this.#d.clock.now().getTime() })
    if (this.#ran.has(id)) {
      log.error(
        'the control plane handed out a deployment this agent already ran; not running it again',
      )
      return
    }
    this.#ran.add(id)
    const controller = new AbortController()
    this.#runs.set(id, controller)
    const run = this.#reporting(claim, controller, log)
    try {
      await this.#execute(claim, controller, run, log)
    } finally {
      run.keeper.stop()
      run.outbox.close()
      this.#runs.delete(id)
    }
  }

  /** The lease keeper and the outbox of one deployment, wired to stop it when the lease is lost. */
  #reporting(claim: ClaimResponse, controller: AbortController, log: Logger): Reporting {
    const id = claim.deployment.id
    const state = { leaseLost: false, cancelRequested: false }
    const lose = (reason: string): void => {
      if (state.leaseLost) return
      state.leaseLost = true
      log.warn({ reason }, 'lease lost; stopping the deployment')
      this.#emit({ type: 'lease-lost', deploymentId: id, at: this.#d.clock.now().getTime() })
      controller.abort()
      outbox.close()
    }
    const leaseMs =
      claim.leaseSeconds === undefined
        ? Math.max(1000, Date.parse(claim.leaseExpiresAt) - this.#d.clock.now().getTime())
        : claim.leaseSeconds * 1000
    const keeper = new LeaseKeeper({
      heartbeat: () => this.#client.heartbeat(id),
      leaseMs,
      onLost: lose,
      onCancelRequested: () => {
        state.cancelRequested = true
        log.info('cancel requested')
        controller.abort()
      },
      onError: (error) => log.warn({ err: messageOf(error) }, 'heartbeat failed; retrying'),
    })
    const outbox = new Outbox({
      send: (r) =>
        r.kind === 'logs'
          ? this.#client.appendLogs(id, r.lines, r.firstSeq)
          : this.#client.status(id, r.body),
      onLeaseLost: (error) => lose(messageOf(error)),
      onRefused: (r, error) =>
        log.warn({ err: messageOf(error), report: r.kind }, 'the control plane refused a report'),
    })
    keeper.start()
    return { keeper, outbox, state, lose }
  }

  async #execute(
    claim: ClaimResponse,
    controller: AbortController,
    run: Reporting,
    log: Logger,
  ): Promise<void> {
    const { deployment } = claim
    const id = deployment.id
    const { outbox, state } = run
    // Two reports before the first step: after the first (acknowledged) the agent has accepted
    // the deployment, after the second a lost lease fails it rather than requeueing it. The
    // runner prepares (workspace, token, credentials) while the second is on its way; its first
    // step and every report it makes wait for that answer (start-gate.ts).
    const received =
      !this.#stopping && (await outbox.status({ status: 'running', beforeSteps: true }))
    if (!received || this.#stopping) {
      if (this.#stopping) await this.#handBack(id, log)
      else log.warn('could not start the deployment (lease lost or cancelled before start)')
      return
    }
    const gate = this.#startGate(id, outbox)
    // A step's end is held back until the next report, so that the last one travels with the
    // final status (one request less between "last step ended" and "succeeded").
    let heldStep: StepReport | undefined
    const reportStep = (step: StepReport): void => {
      if (heldStep !== undefined) void outbox.status({ status: 'running', step: heldStep })
      heldStep = undefined
      if (step.status === 'running') void outbox.status({ status: 'running', step })
      else heldStep = step
    }
    const workDir = join(this.#s.workDir, id)
    const forwarder = await this.#stateForwarder(deployment, log)
    const result = await runDeployment(
      deployment,
      {
        ...this.#runnerOptions(workDir, forwarder?.url ?? this.#client.server),
        ...(forwarder === undefined
          ? {}
          : { stateReplicas: this.#client.replicas.urls.map(loggableUrl) }),
        signal: controller.signal,
      },
      {
        clock: this.#d.clock,
        logger: log,
        mintToken: (runPhase, cloud) => this.#client.mintToken(id, runPhase, cloud),
        log: (line: LogLine) => gate.run(() => outbox.log(line)),
        reportStep: (step) => gate.run(() => reportStep(step)),
        onCredentials: (assumedRoleArn) =>
          gate.run(() => void outbox.status({ status: 'running', assumedRoleArn })),
        reportPlan: (plan) => gate.run(() => void outbox.status({ status: 'running', plan })),
        awaitApproval: () => this.#awaitApproval(id, outbox, controller.signal, run.lose),
        stepsMayStart: () => gate.opened,
      },
    ).finally(() => forwarder?.close())
    const started = await gate.opened
    if (state.leaseLost) return
    if (!started) {
      log.warn('could not start the deployment (the control plane refused it before start)')
      if (this.#s.keepWorkDirs !== true) await rm(workDir, { recursive: true, force: true })
      return
    }
    let final = this.#finalReport(result, state.cancelRequested)
    if (heldStep !== undefined) final = { ...final, step: heldStep }
    void outbox.status(final)
    if (!(await outbox.drain())) log.warn('the final report did not reach the control plane')
    run.keeper.stop()
    this.#emit({ type: 'finished', deploymentId: id, at: this.#d.clock.now().getTime(), result })
    if (this.#s.keepWorkDirs !== true) await rm(workDir, { recursive: true, force: true })
  }

  /** The second `running` report, sent now: steps may start once it is acknowledged. */
  #startGate(id: string, outbox: Outbox): StartGate {
    return new StartGate(
      outbox.status({ status: 'running' }).then((ok) => {
        if (ok) this.#emit({ type: 'started', deploymentId: id, at: this.#d.clock.now().getTime() })
        return ok
      }),
    )
  }

  /** Shutting down before a step started: the deployment goes back to the queue at once. */
  async #handBack(id: string, log: Logger): Promise<void> {
    try {
      await this.#client.release(id)
      log.info('handed the deployment back to the queue (the agent is stopping)')
    } catch (error) {
      // Its lease runs out and the control plane requeues it then (nothing started).
      log.warn({ err: messageOf(error) }, 'could not hand the deployment back')
    }
  }

  /**
   * Reports `awaiting_approval` and asks every second how it stands: `running` is approved; a
   * 409 (rejected, or the lease is gone) or a cancel ends the wait with false.
   */
  async #awaitApproval(
    id: string,
    outbox: Outbox,
    signal: AbortSignal,
    lose: (reason: string) => void,
  ): Promise<boolean> {
    if (!(await outbox.status({ status: 'awaiting_approval' }))) return false
    while (!signal.aborted) {
      await sleep(1000)
      if (signal.aborted) return false
      try {
        const hb = await this.#client.heartbeat(id)
        if (hb.cancelRequested) return false
        if (hb.status === 'running') return true
      } catch (error) {
        if (isKeylessError(error) && (error.status === 409 || error.status === 404)) {
          lose(messageOf(error))
          return false
        }
      }
    }
    return false
  }

  /**
   * With several replicas, a managed state backend is reached through a loopback forwarder that
   * follows the replica in use (src/agent/state-forwarder.ts); with one, steps talk to it
   * directly (undefined).
   */
  async #stateForwarder(
    deployment: ClaimResponse['deployment'],
    log: Logger,
  ): Promise<StateForwarder | undefined> {
    const replicas = this.#client.replicas
    const password = deployment.statePassword
    if (
      replicas.urls.length < 2 ||
      !usesManagedState(deployment) ||
      password === null ||
      password === undefined
    )
      return undefined
    try {
      return await StateForwarder.open({
        replicas,
        environmentId: deployment.environmentId,
        logger: log,
      })
    } catch (error) {
      log.warn(
        { err: messageOf(error) },
        'no state forwarder; the state goes to the replica in use',
      )
      return undefined
    }
  }

  #runnerOptions(workDir: string, serverUrl: string) {
    return {
      workDir,
      // Where the steps' state backend addresses point (TF_HTTP_*): the control plane, or the
      // forwarder that follows the replica in use.
      serverUrl,
      baseEnv: this.#s.baseEnv,
      cancelGraceSeconds: this.#s.cancelGraceSeconds,
      ...(this.#s.cloudCaFile === undefined ? {} : { cloudCaFile: this.#s.cloudCaFile }),
      ...(this.#s.refreshHandoutSeconds === undefined
        ? {}
        : { refreshHandoutSeconds: this.#s.refreshHandoutSeconds }),
      ...(this.#s.refreshBeforeSeconds === undefined
        ? {}
        : { refreshBeforeSeconds: this.#s.refreshBeforeSeconds }),
    }
  }

  #finalReport(result: RunResult, cancelRequested: boolean): StatusRequest {
    let final: StatusRequest
    if (result.status === 'cancelled' && this.#shutdownCancels && !cancelRequested) {
      final = {
        status: 'failed',
        message: 'the agent was stopped during the deployment',
        failure: {
          code: 'agent_stopped',
          message: 'the agent was stopped during the deployment',
        },
      }
    } else {
      final = {
        status: result.status,
        ...(result.message === undefined ? {} : { message: result.message.slice(0, 16_000) }),
        ...(result.failure === undefined ? {} : { failure: clip(result.failure) }),
      }
    }
    if (result.assumedRoleArn !== undefined)
      final = { ...final, assumedRoleArn: result.assumedRoleArn }
    return final
  }
}

interface Reporting {
  readonly keeper: LeaseKeeper
  readonly outbox: Outbox
  readonly state: { leaseLost: boolean; cancelRequested: boolean }
  /** Marks the lease lost and stops the deployment. */
  readonly lose: (reason: string) => void
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function clip(
  failure: NonNullable<StatusRequest['failure']>,
): NonNullable<StatusRequest['failure']> {
  return {
    ...(failure.code === undefined ? {} : { code: failure.code.slice(0, 256) }),
    message: failure.message.slice(0, 16_000),
    ...(failure.explanation === undefined
      ? {}
      : { explanation: failure.explanation.slice(0, 200).map((l) => l.slice(0, 4096)) }),
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
