import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { startCredentialEndpoint, type RunningEndpoint } from './credential-endpoint.js'
import { CredentialBroker, mintOrFail } from './credentials.js'
import { buildStepEnv, type EndpointCredentialEnv, type StaticCredentialEnv } from './env.js'
import { RunFailure } from './failure-error.js'
import { SecretSet } from './mask.js'
import { runProcess } from './process.js'
import { planSteps, type PlannedStep } from './steps.js'
import type { RunPhase } from '../shared/contracts/common.js'
import { defaultRunPhase } from '../shared/token-context.js'
import { planLine, readPlanSummary } from './plan-summary.js'
import type { RunnerDeps, RunnerOptions, RunResult, RunTimings } from './types.js'
import { TokenKeeper } from './token-keeper.js'
import {
  cloudEnv,
  loadExtraCa,
  openCloudSessions,
  stopCloudSessions,
  type CloudSession,
} from './clouds/index.js'
import { prepareWorkspace } from './workspace.js'
import {
  OVERRIDE_FILE,
  prepareStateBackend,
  stateBackendEnv,
  usesManagedState,
} from './state-backend.js'

/**
 * Runs one deployment (docs/architecture.md §5): prepares the template directory, mints the
 * deployment's token, exchanges it at STS for temporary credentials (or serves them from a loopback
 * endpoint in refresh mode), runs the steps in order with the deployment's environment, masks every
 * secret in the output, and says how it ended. It never throws: every problem becomes a failed
 * result with a message a person can act on.
 */
export async function runDeployment(
  deployment: AgentDeployment,
  options: RunnerOptions,
  deps: RunnerDeps,
): Promise<RunResult> {
  const { clock } = deps
  const timings: RunTimings = {}
  const secrets = new SecretSet()
  for (const v of deployment.variables) if (v.sensitive) secrets.add(v.value)
  secrets.add(deployment.statePassword)
  const system = (text: string): void =>
    deps.log({ stream: 'system', text: secrets.mask(text), time: clock.now().toISOString() })
  const signal = options.signal
  let broker: CredentialBroker | undefined
  let endpoint: RunningEndpoint | undefined
  const keeper = (runPhase: RunPhase): TokenKeeper =>
    new TokenKeeper({
      mintToken: () => deps.mintToken(runPhase, 'aws'),
      file: join(options.workDir, 'oidc-token'),
      clock,
      secrets,
      system,
    })
  let tokens = keeper(phaseOf(deployment, undefined))
  let clouds: CloudSession[] = []
  let assumedRoleArn: string | undefined

  const cancelled = (): RunResult => ({
    status: 'cancelled',
    message: 'cancelled',
    ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
    timings,
  })

  try {
    await mkdir(options.workDir, { recursive: true, mode: 0o700 })
    system(
      `deployment ${deployment.id} (${deployment.type}) of ${deployment.projectName} / ${deployment.environmentName}, ` +
        `template ${deployment.template.name} (${deployment.template.type})`,
    )
    if (deployment.credentialError !== null) {
      throw new RunFailure({ code: 'role_unresolved', message: deployment.credentialError })
    }
    const base = buildStepEnv({
      deployment,
      baseEnv: options.baseEnv,
      workDir: options.workDir,
      templateDir: options.workDir,
    }).env

    const t = performance.now()
    const templateDir = await prepareWorkspace({
      deployment,
      workDir: options.workDir,
      env: base,
      secrets,
      log: deps.log,
      clock,
      ...(signal === undefined ? {} : { signal }),
    })
    timings.workspaceMs = performance.now() - t
    if (signal?.aborted === true) return cancelled()

    const planFile = join(options.workDir, 'keyless.tfplan')
    const steps = planSteps(deployment, { path: base['PATH'] ?? '', planFile })
    const state = await stateOf(deployment, templateDir, options.serverUrl, system)

    let aws: StaticCredentialEnv | EndpointCredentialEnv | undefined
    let phase = phaseOf(deployment, steps[0])
    tokens = keeper(phase)
    const extraCa = await loadExtraCa(options.cloudCaFile, options.workDir)
    return await runSteps(await openPhase())

    /** The phase's AWS session, then its other clouds' (each cloud has its own token). */
    async function openPhase(): Promise<string | undefined> {
      const token = await openSession()
      clouds = await openCloudSessions({
        deployment,
        phase,
        workDir: options.workDir,
        clock,
        secrets,
        system,
        mintToken: (runPhase, cloud) => deps.mintToken(runPhase, cloud),
        extraCa,
      })
      const ms = clouds.reduce((sum, c) => sum + c.exchangeMs, 0)
      if (clouds.length > 0) timings.cloudExchangeMs ??= ms
      return token
    }

    /**
     * The token and AWS session of the current phase (docs/state.md): a Terraform deploy's plan
     * and apply each get their own, the plan with the credential's planRoleArn when set.
     */
    async function openSession(): Promise<string | undefined> {
      const credential = credentialFor(deployment, phase)
      if (credential === null && (deployment.azure ?? deployment.gcp ?? null) !== null) {
        // Other clouds only: the AWS-audience token is still offered to user code.
        return (await mintOrFail(tokens)).token
      }
      if (credential === null) {
        // No AWS credential: the token is still offered to user code that federates elsewhere.
        const t = performance.now()
        try {
          const token = (await mintOrFail(tokens)).token
          timings.tokenMintMs ??= performance.now() - t
          return token
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error)
          system(
            `no credential is assigned to the project, and no OIDC token could be minted (${why}): steps run without one`,
          )
          return undefined
        }
      }
      const b = new CredentialBroker({
        deployment,
        credential,
        clock,
        secrets,
        tokens,
        system,
        ...(options.refreshBeforeSeconds === undefined
          ? {}
          : { refreshBeforeSeconds: options.refreshBeforeSeconds }),
        ...(options.refreshHandoutSeconds === undefined
          ? {}
          : { handoutSeconds: options.refreshHandoutSeconds }),
      })
      broker = b
      system(
        `assuming ${credential.roleArn} (role from ${credential.roleSource}) for ${credential.durationSeconds} s` +
          `${credential.stsEndpoint === null ? '' : ` at ${credential.stsEndpoint}`} (run phase ${phase})`,
      )
      const phases = { tokenMintMs: 0, stsExchangeMs: 0 }
      const credentials = await b.obtain(phases)
      timings.tokenMintMs ??= phases.tokenMintMs
      timings.stsExchangeMs ??= phases.stsExchangeMs
      assumedRoleArn = credentials.assumedRoleArn
      deps.onCredentials?.(assumedRoleArn)
      system(
        `assumed ${credentials.assumedRoleArn}; session expires ${credentials.expiration.toISOString()}`,
      )
      if (credential.refresh) {
        const authorizationToken = randomBytes(32).toString('base64url')
        secrets.add(authorizationToken)
        endpoint = await startCredentialEndpoint({
          authorizationToken,
          current: () => b.handout(),
        })
        b.startBackgroundRefresh()
        aws = {
          mode: 'endpoint',
          url: endpoint.url,
          authorizationToken,
          assumedRoleArn: credentials.assumedRoleArn,
        }
        system(
          `refresh mode: steps get credentials from ${endpoint.url}, re-assumed ${b.refreshBeforeSeconds} s before they expire`,
        )
      } else {
        aws = { mode: 'static', credentials }
      }
      return b.token
    }

    /** Ends the current phase's session; the next phase opens its own. */
    async function closeSession(): Promise<void> {
      await stopCloudSessions(clouds)
      clouds = []
      broker?.stop()
      await endpoint?.close()
      await tokens.stop()
      broker = undefined
      endpoint = undefined
      aws = undefined
    }

    function stepEnv(oidcToken: string | undefined): Record<string, string> {
      // KEYLESS_OIDC_TOKEN is the phase's first token; the token file stays fresh.
      if (oidcToken !== undefined) tokens.start()
      const { env, shadowed } = buildStepEnv({
        deployment,
        baseEnv: options.baseEnv,
        workDir: options.workDir,
        templateDir,
        ...(aws === undefined ? {} : { aws }),
        ...(oidcToken === undefined ? {} : { oidcToken, oidcTokenFile: tokens.file }),
        state,
        clouds: cloudEnv(clouds),
      })
      for (const name of shadowed)
        system(
          `the variable ${name} is set by keyless for every step; the variable's value is not used`,
        )
      return env
    }

    async function runSteps(firstToken: string | undefined): Promise<RunResult> {
      let env = stepEnv(firstToken)
      for (const [i, step] of steps.entries()) {
        if (signal?.aborted === true) {
          skipFrom(i)
          return cancelled()
        }
        if (phaseOf(deployment, step) !== phase) {
          await closeSession()
          phase = phaseOf(deployment, step)
          tokens = keeper(phase)
          system(`run phase ${phase}: a new token and session`)
          env = stepEnv(await openPhase())
        }
        deps.reportStep({ index: i, name: step.name, status: 'running' })
        system(`step ${i + 1}/${steps.length}: ${step.name}`)
        const outcome = await runProcess({
          command: step.command,
          args: step.args,
          cwd: templateDir,
          env,
          secrets,
          log: deps.log,
          clock,
          graceMs: options.cancelGraceSeconds * 1000,
          ...(signal === undefined ? {} : { signal }),
        })
        if (i === 0) {
          timings.processStartMs = outcome.spawnMs
          timings.firstStepStartedAt = outcome.startedAt
        }
        if (i === steps.length - 1) timings.lastStepEndedAt = clock.now().getTime()
        if (outcome.cancelled) {
          deps.reportStep({
            index: i,
            name: step.name,
            status: 'failed',
            exitCode: outcome.exitCode,
          })
          skipFrom(i + 1)
          system(`step ${step.name} was stopped (cancel)`)
          return cancelled()
        }
        if (outcome.spawnError !== undefined || outcome.exitCode !== 0) {
          deps.reportStep({
            index: i,
            name: step.name,
            status: 'failed',
            exitCode: outcome.exitCode,
          })
          skipFrom(i + 1)
          const how =
            outcome.spawnError !== undefined
              ? `could not start: ${outcome.spawnError}`
              : outcome.exitCode === null
                ? `was killed by ${outcome.signal ?? 'a signal'}`
                : `exited with code ${outcome.exitCode}`
          const message = `step ${i + 1} (${step.name}) ${how}`
          system(message)
          return {
            status: 'failed',
            message,
            failure: { code: 'step_failed', message },
            ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
            timings,
          }
        }
        deps.reportStep({ index: i, name: step.name, status: 'succeeded', exitCode: 0 })
        if (step.kind === 'plan') await summarize(step.command, env)
        if (step.kind === 'plan' && steps[i + 1]?.kind === 'apply' && !(await approved())) {
          skipFrom(i + 1)
          return cancelled()
        }
      }
      if (broker !== undefined && broker.exchanges > 1)
        system(`credentials were refreshed ${broker.exchanges - 1} time(s) during the deployment`)
      return {
        status: 'succeeded',
        ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
        timings,
      }
    }

    /** Waits for approval when the environment requires it (the saved plan stays here). */
    async function approved(): Promise<boolean> {
      if (deployment.requiresApproval !== true) return true
      if (deps.awaitApproval === undefined) {
        throw new RunFailure({
          code: 'approval_unsupported',
          message: 'the environment requires approval, but this agent cannot wait for it',
        })
      }
      system(
        `awaiting approval: keyless deploy approve ${deployment.id} applies exactly this plan; keyless deploy reject ${deployment.id} drops it`,
      )
      const ok = await deps.awaitApproval()
      if (ok) system('approved: applying the saved plan')
      else system('not approved (rejected or cancelled): nothing is applied')
      return ok && signal?.aborted !== true
    }

    /** Reads the saved plan's summary; a failure to read it is logged, not fatal. */
    async function summarize(binary: string, env: Record<string, string>): Promise<void> {
      try {
        const plan = await readPlanSummary({ binary, planFile, cwd: templateDir, env })
        system(planLine(plan))
        deps.reportPlan?.(plan)
      } catch (error) {
        system(
          `the plan summary could not be read: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }

    function skipFrom(from: number): void {
      for (let j = from; j < steps.length; j++) {
        const s = steps[j]
        if (s !== undefined) deps.reportStep({ index: j, name: s.name, status: 'skipped' })
      }
    }
  } catch (error) {
    if (signal?.aborted === true) return cancelled()
    if (error instanceof RunFailure) {
      system(`failed: ${error.failure.message}`)
      return {
        status: 'failed',
        message: firstLine(error.failure.message),
        failure: error.failure,
        ...(assumedRoleArn === undefined ? {} : { assumedRoleArn }),
        timings,
      }
    }
    deps.logger.error({ err: error, deploymentId: deployment.id }, 'runner error')
    const message = `the runner failed unexpectedly: ${secrets.mask(error instanceof Error ? error.message : String(error))}`
    system(message)
    return { status: 'failed', message, failure: { code: 'runner_error', message }, timings }
  } finally {
    await stopCloudSessions(clouds)
    broker?.stop()
    await endpoint?.close()
    await tokens.stop()
  }
}

/** The state backend's variables (none when the template keeps its own state). */
async function stateOf(
  deployment: AgentDeployment,
  templateDir: string,
  serverUrl: string | undefined,
  system: (text: string) => void,
): Promise<Record<string, string>> {
  const mode = await prepareStateBackend(deployment, templateDir)
  if (mode === 'template')
    system("state: kept by the template's own backend (stateBackend: template)")
  if (mode !== 'managed') return {}
  const state = stateBackendEnv(deployment, serverUrl ?? '')
  if (
    serverUrl === undefined ||
    state['TF_HTTP_ADDRESS'] === undefined ||
    !usesManagedState(deployment)
  )
    throw new RunFailure({
      code: 'state_backend_unavailable',
      message:
        "keyless keeps this template's state (stateBackend: managed), but the control plane issued no state password to this deployment or the agent does not know its URL; upgrade the control plane and the agent together",
    })
  system(`state: kept by keyless at ${state['TF_HTTP_ADDRESS']} (http backend, ${OVERRIDE_FILE})`)
  return state
}

/** The run phase of a step (docs/state.md): Terraform's init and plan `plan`, apply `apply`. */
function phaseOf(deployment: AgentDeployment, step: PlannedStep | undefined): RunPhase {
  return step?.phase ?? defaultRunPhase(deployment.type)
}

/** The credential of a phase: the plan phase assumes the credential's planRoleArn when set. */
function credentialFor(
  deployment: AgentDeployment,
  phase: RunPhase,
): AgentDeployment['credential'] {
  const c = deployment.credential
  if (c === null || phase !== 'plan' || c.roleSource !== 'credential') return c
  if (c.planRoleArn === undefined || c.planRoleArn === null) return c
  return { ...c, roleArn: c.planRoleArn, roleSource: 'plan-role' }
}

function firstLine(text: string): string {
  const i = text.indexOf('\n')
  return i < 0 ? text : text.slice(0, i)
}
