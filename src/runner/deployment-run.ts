import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import type { RunPhase } from '../shared/contracts/common.js'
import { defaultRunPhase } from '../shared/token-context.js'
import { openAwsSession, type AwsSession } from './aws-session.js'
import {
  cloudEnv,
  loadExtraCa,
  openCloudSessions,
  stopCloudSessions,
  type CloudContext,
  type CloudSession,
} from './clouds/index.js'
import { buildStepEnv } from './env.js'
import { RunFailure } from './failure-error.js'
import { SecretSet } from './mask.js'
import { planLine, readPlanSummary } from './plan-summary.js'
import { runProcess } from './process.js'
import { stateOf } from './state-backend.js'
import { firstLine, stepFailure } from './step-outcome.js'
import { planSteps, type PlannedStep } from './steps.js'
import { TokenKeeper } from './token-keeper.js'
import type { RunnerDeps, RunnerOptions, RunResult, RunTimings } from './types.js'
import { prepareWorkspace } from './workspace.js'

/** What the steps run in, once the workspace is ready. */
interface Prepared {
  readonly templateDir: string
  readonly steps: readonly PlannedStep[]
  readonly planFile: string
  readonly state: Record<string, string>
  readonly extraCa: CloudContext['extraCa']
}

/** The run phase of a step (docs/state.md): Terraform's init and plan `plan`, apply `apply`. */
function phaseOf(deployment: AgentDeployment, step: PlannedStep | undefined): RunPhase {
  return step?.phase ?? defaultRunPhase(deployment.type)
}

/**
 * One deployment's run (src/runner/run-deployment.ts): the workspace, then for each run phase
 * its sessions (AWS, then every other cloud, each with its own token), the steps with their
 * environment, and how it ended. Every problem becomes a failed result.
 */
export class DeploymentRun {
  readonly #d: AgentDeployment
  readonly #options: RunnerOptions
  readonly #deps: RunnerDeps
  readonly #timings: RunTimings = {}
  readonly #secrets = new SecretSet()
  #phase: RunPhase
  #tokens: TokenKeeper
  #aws: AwsSession = { token: undefined }
  #clouds: CloudSession[] = []
  #assumedRoleArn: string | undefined

  constructor(deployment: AgentDeployment, options: RunnerOptions, deps: RunnerDeps) {
    this.#d = deployment
    this.#options = options
    this.#deps = deps
    for (const v of deployment.variables) if (v.sensitive) this.#secrets.add(v.value)
    this.#secrets.add(deployment.statePassword)
    this.#phase = phaseOf(deployment, undefined)
    this.#tokens = this.#keeper(this.#phase)
  }

  async run(): Promise<RunResult> {
    try {
      const prepared = await this.#prepare()
      if (prepared === undefined) return this.#cancelled()
      this.#phase = phaseOf(this.#d, prepared.steps[0])
      this.#tokens = this.#keeper(this.#phase)
      await this.#openPhase(prepared)
      return await this.#runSteps(prepared)
    } catch (error) {
      return this.#failed(error)
    } finally {
      await this.#closePhase()
    }
  }

  #system = (text: string): void =>
    this.#deps.log({
      stream: 'system',
      text: this.#secrets.mask(text),
      time: this.#deps.clock.now().toISOString(),
    })

  #keeper(runPhase: RunPhase): TokenKeeper {
    return new TokenKeeper({
      mintToken: () => this.#deps.mintToken(runPhase, 'aws'),
      file: join(this.#options.workDir, 'oidc-token'),
      clock: this.#deps.clock,
      secrets: this.#secrets,
      system: this.#system,
    })
  }

  get #aborted(): boolean {
    return this.#options.signal?.aborted === true
  }

  #withRole(result: RunResult): RunResult {
    return this.#assumedRoleArn === undefined
      ? result
      : { ...result, assumedRoleArn: this.#assumedRoleArn }
  }

  #cancelled(): RunResult {
    return this.#withRole({ status: 'cancelled', message: 'cancelled', timings: this.#timings })
  }

  /** The workspace, the steps, the state backend and the clouds' CA; undefined when cancelled. */
  async #prepare(): Promise<Prepared | undefined> {
    const d = this.#d
    const { workDir } = this.#options
    await mkdir(workDir, { recursive: true, mode: 0o700 })
    this.#system(
      `deployment ${d.id} (${d.type}) of ${d.projectName} / ${d.environmentName}, ` +
        `template ${d.template.name} (${d.template.type})`,
    )
    if (d.credentialError !== null)
      throw new RunFailure({ code: 'role_unresolved', message: d.credentialError })
    const base = buildStepEnv({
      deployment: d,
      baseEnv: this.#options.baseEnv,
      workDir,
      templateDir: workDir,
    }).env
    const t = performance.now()
    const signal = this.#options.signal
    const templateDir = await prepareWorkspace({
      deployment: d,
      workDir,
      env: base,
      secrets: this.#secrets,
      log: this.#deps.log,
      clock: this.#deps.clock,
      ...(signal === undefined ? {} : { signal }),
    })
    this.#timings.workspaceMs = performance.now() - t
    if (this.#aborted) return undefined
    const planFile = join(workDir, 'keyless.tfplan')
    return {
      templateDir,
      planFile,
      steps: planSteps(d, { path: base['PATH'] ?? '', planFile }),
      state: await stateOf(
        d,
        templateDir,
        this.#options.serverUrl,
        this.#system,
        this.#options.stateReplicas,
      ),
      extraCa: await loadExtraCa(this.#options.cloudCaFile, workDir),
    }
  }

  /** The phase's AWS session, then its other clouds' (each cloud has its own token). */
  async #openPhase(p: Prepared): Promise<void> {
    const { clock } = this.#deps
    this.#aws = await openAwsSession({
      deployment: this.#d,
      phase: this.#phase,
      tokens: this.#tokens,
      clock,
      secrets: this.#secrets,
      system: this.#system,
      timings: this.#timings,
      options: this.#options,
      deps: this.#deps,
    })
    this.#assumedRoleArn = this.#aws.assumedRoleArn ?? this.#assumedRoleArn
    this.#clouds = await openCloudSessions({
      deployment: this.#d,
      phase: this.#phase,
      workDir: this.#options.workDir,
      clock,
      secrets: this.#secrets,
      system: this.#system,
      mintToken: (runPhase, cloud) => this.#deps.mintToken(runPhase, cloud),
      extraCa: p.extraCa,
    })
    if (this.#clouds.length > 0)
      this.#timings.cloudExchangeMs ??= this.#clouds.reduce((sum, c) => sum + c.exchangeMs, 0)
  }

  /** Ends the current phase's sessions; the next phase opens its own. */
  async #closePhase(): Promise<void> {
    await stopCloudSessions(this.#clouds)
    this.#clouds = []
    this.#aws.broker?.stop()
    await this.#aws.endpoint?.close()
    await this.#tokens.stop()
    this.#aws = { token: undefined }
  }

  #stepEnv(p: Prepared): Record<string, string> {
    const token = this.#aws.token
    // KEYLESS_OIDC_TOKEN is the phase's first token; the token file stays fresh.
    if (token !== undefined) this.#tokens.start()
    const { env, shadowed } = buildStepEnv({
      deployment: this.#d,
      baseEnv: this.#options.baseEnv,
      workDir: this.#options.workDir,
      templateDir: p.templateDir,
      ...(this.#aws.aws === undefined ? {} : { aws: this.#aws.aws }),
      ...(token === undefined ? {} : { oidcToken: token, oidcTokenFile: this.#tokens.file }),
      state: p.state,
      clouds: cloudEnv(this.#clouds),
    })
    for (const name of shadowed)
      this.#system(
        `the variable ${name} is set by keyless for every step; the variable's value is not used`,
      )
    return env
  }

  async #runSteps(p: Prepared): Promise<RunResult> {
    const mayStart = this.#deps.stepsMayStart
    if (mayStart !== undefined && !(await mayStart())) return this.#cancelled()
    let env = this.#stepEnv(p)
    for (const [i, step] of p.steps.entries()) {
      if (this.#aborted) {
        this.#skipFrom(p, i)
        return this.#cancelled()
      }
      if (phaseOf(this.#d, step) !== this.#phase) {
        await this.#closePhase()
        this.#phase = phaseOf(this.#d, step)
        this.#tokens = this.#keeper(this.#phase)
        this.#system(`run phase ${this.#phase}: a new token and session`)
        await this.#openPhase(p)
        env = this.#stepEnv(p)
      }
      const ended = await this.#runStep(p, i, env)
      if (ended !== undefined) return ended
    }
    const broker = this.#aws.broker
    if (broker !== undefined && broker.exchanges > 1)
      this.#system(
        `credentials were refreshed ${broker.exchanges - 1} time(s) during the deployment`,
      )
    return this.#withRole({ status: 'succeeded', timings: this.#timings })
  }

  /** Runs step `i`; answers the deployment's result when it ends the run here. */
  async #runStep(
    p: Prepared,
    i: number,
    env: Record<string, string>,
  ): Promise<RunResult | undefined> {
    const step = p.steps[i] as PlannedStep
    const deps = this.#deps
    // The line first: the step's report then carries it to the control plane in the same log
    // batch as what came before (a step without output costs no batch of its own).
    this.#system(`step ${i + 1}/${p.steps.length}: ${step.name}`)
    deps.reportStep({ index: i, name: step.name, status: 'running' })
    const signal = this.#options.signal
    const outcome = await runProcess({
      command: step.command,
      args: step.args,
      cwd: p.templateDir,
      env,
      secrets: this.#secrets,
      log: deps.log,
      clock: deps.clock,
      graceMs: this.#options.cancelGraceSeconds * 1000,
      ...(signal === undefined ? {} : { signal }),
    })
    if (i === 0) {
      this.#timings.processStartMs = outcome.spawnMs
      this.#timings.firstStepStartedAt = outcome.startedAt
    }
    if (i === p.steps.length - 1) this.#timings.lastStepEndedAt = deps.clock.now().getTime()
    const how = outcome.cancelled ? 'was stopped (cancel)' : stepFailure(outcome)
    if (how !== undefined) {
      deps.reportStep({ index: i, name: step.name, status: 'failed', exitCode: outcome.exitCode })
      this.#skipFrom(p, i + 1)
      if (outcome.cancelled) {
        this.#system(`step ${step.name} was stopped (cancel)`)
        return this.#cancelled()
      }
      const message = `step ${i + 1} (${step.name}) ${how}`
      this.#system(message)
      return this.#withRole({
        status: 'failed',
        message,
        failure: { code: 'step_failed', message },
        timings: this.#timings,
      })
    }
    deps.reportStep({ index: i, name: step.name, status: 'succeeded', exitCode: 0 })
    if (step.kind === 'plan') await this.#summarize(p, step.command, env)
    if (step.kind === 'plan' && p.steps[i + 1]?.kind === 'apply' && !(await this.#approved())) {
      this.#skipFrom(p, i + 1)
      return this.#cancelled()
    }
    return undefined
  }

  /** Waits for approval when the environment requires it (the saved plan stays here). */
  async #approved(): Promise<boolean> {
    const d = this.#d
    if (d.requiresApproval !== true) return true
    if (this.#deps.awaitApproval === undefined)
      throw new RunFailure({
        code: 'approval_unsupported',
        message: 'the environment requires approval, but this agent cannot wait for it',
      })
    this.#system(
      `awaiting approval: keyless deploy approve ${d.id} applies exactly this plan; keyless deploy reject ${d.id} drops it`,
    )
    const ok = await this.#deps.awaitApproval()
    this.#system(
      ok
        ? 'approved: applying the saved plan'
        : 'not approved (rejected or cancelled): nothing is applied',
    )
    return ok && !this.#aborted
  }

  /** Reads the saved plan's summary; a failure to read it is logged, not fatal. */
  async #summarize(p: Prepared, binary: string, env: Record<string, string>): Promise<void> {
    try {
      const plan = await readPlanSummary({ binary, planFile: p.planFile, cwd: p.templateDir, env })
      this.#system(planLine(plan))
      this.#deps.reportPlan?.(plan)
    } catch (error) {
      this.#system(
        `the plan summary could not be read: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  #skipFrom(p: Prepared, from: number): void {
    for (let j = from; j < p.steps.length; j++) {
      const s = p.steps[j]
      if (s !== undefined) this.#deps.reportStep({ index: j, name: s.name, status: 'skipped' })
    }
  }

  #failed(error: unknown): RunResult {
    if (this.#aborted) return this.#cancelled()
    if (error instanceof RunFailure) {
      this.#system(`failed: ${error.failure.message}`)
      return this.#withRole({
        status: 'failed',
        message: firstLine(error.failure.message),
        failure: error.failure,
        timings: this.#timings,
      })
    }
    this.#deps.logger.error({ err: error, deploymentId: this.#d.id }, 'runner error')
    const message = `the runner failed unexpectedly: ${this.#secrets.mask(error instanceof Error ? error.message : String(error))}`
    this.#system(message)
    return {
      status: 'failed',
      message,
      failure: { code: 'runner_error', message },
      timings: this.#timings,
    }
  }
}
