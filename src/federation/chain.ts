/**
 * A token exchange as one chain of named steps (docs/architecture.md, "Web-identity core"). Each
 * step reads the exchange's context and answers pass, skipped (not decidable here, e.g. offline)
 * or fail with the cloud's answer. The emulator runs a chain online and stops at the first
 * failure, which is what the client gets; `keyless explain` runs the same chain offline to the
 * end, so it can show every step, and answers with the first failure too.
 */

/** What one step found. `trace` lines go to the emulator's decision log (rendered when read). */
export type Verdict<F> =
  | { readonly status: 'pass'; readonly detail: string; readonly trace?: () => string[] }
  | { readonly status: 'skipped'; readonly detail: string; readonly trace?: () => string[] }
  | {
      readonly status: 'fail'
      readonly failure: F
      /** Why, in detail; for logs and explanations, never for the cloud's client. */
      readonly detail: string
      readonly trace?: () => string[]
      /** An unexpected error behind the failure, for the server log. */
      readonly cause?: unknown
    }

export interface ChainStep<C, F, N extends string = string> {
  readonly name: N
  /** Only the steps that need I/O (fetched keys) are asynchronous, and only online. */
  check(ctx: C): Verdict<F> | Promise<Verdict<F>>
}

export interface StepOutcome<F, N extends string = string> {
  readonly step: N
  readonly verdict: Verdict<F>
}

export interface ChainRun<F, N extends string = string> {
  readonly outcomes: ReadonlyArray<StepOutcome<F, N>>
  /** The first failing step: the answer the cloud gives. Absent when every step passed. */
  readonly failed?: {
    readonly step: N
    readonly failure: F
    readonly detail: string
    readonly cause?: unknown
  }
}

/** `online` stops at the first failure (later steps must not run); `offline` runs every step. */
export type ChainMode = 'online' | 'offline'

export async function runChain<C, F, N extends string>(
  steps: ReadonlyArray<ChainStep<C, F, N>>,
  ctx: C,
  mode: ChainMode,
): Promise<ChainRun<F, N>> {
  return runChainEager(steps, ctx, mode)
}

/**
 * `runChain` without a pause where none is needed: the steps run at once until one answers with
 * a promise (keys to fetch), and only then does the rest wait. A chain whose steps all answer at
 * once gives its run directly.
 */
export function runChainEager<C, F, N extends string>(
  steps: ReadonlyArray<ChainStep<C, F, N>>,
  ctx: C,
  mode: ChainMode,
): ChainRun<F, N> | Promise<ChainRun<F, N>> {
  return proceed(steps, ctx, new Run<F, N>(mode), 0)
}

/** The outcomes so far and the first failure. */
class Run<F, N extends string> {
  readonly outcomes: Array<StepOutcome<F, N>> = []
  failed: ChainRun<F, N>['failed']
  readonly mode: ChainMode
  constructor(mode: ChainMode) {
    this.mode = mode
  }

  /** Records a verdict; true when the chain stops here. */
  add(step: N, verdict: Verdict<F>): boolean {
    this.outcomes.push({ step, verdict })
    if (verdict.status !== 'fail') return false
    this.failed ??= firstFailure(step, verdict)
    return this.mode === 'online'
  }

  result(): ChainRun<F, N> {
    return this.failed === undefined
      ? { outcomes: this.outcomes }
      : { outcomes: this.outcomes, failed: this.failed }
  }
}

function proceed<C, F, N extends string>(
  steps: ReadonlyArray<ChainStep<C, F, N>>,
  ctx: C,
  run: Run<F, N>,
  from: number,
): ChainRun<F, N> | Promise<ChainRun<F, N>> {
  for (let i = from; i < steps.length; i += 1) {
    const step = steps[i] as ChainStep<C, F, N>
    const checked = step.check(ctx)
    if (checked instanceof Promise)
      return checked.then((verdict) =>
        run.add(step.name, verdict) ? run.result() : proceed(steps, ctx, run, i + 1),
      )
    if (run.add(step.name, checked)) return run.result()
  }
  return run.result()
}

/**
 * The same, for chains whose steps answer at once (offline: nothing to fetch). A step that would
 * have to wait is a programming error here.
 */
export function runChainSync<C, F, N extends string>(
  steps: ReadonlyArray<ChainStep<C, F, N>>,
  ctx: C,
  mode: ChainMode,
): ChainRun<F, N> {
  const outcomes: Array<StepOutcome<F, N>> = []
  let failed: ChainRun<F, N>['failed']
  for (const step of steps) {
    const verdict = step.check(ctx)
    if (verdict instanceof Promise)
      throw new TypeError(`step ${step.name} needs I/O; run this chain with runChain`)
    outcomes.push({ step: step.name, verdict })
    if (verdict.status !== 'fail') continue
    failed ??= firstFailure(step.name, verdict)
    if (mode === 'online') break
  }
  return failed === undefined ? { outcomes } : { outcomes, failed }
}

function firstFailure<F, N extends string>(
  step: N,
  verdict: Extract<Verdict<F>, { status: 'fail' }>,
): NonNullable<ChainRun<F, N>['failed']> {
  return {
    step,
    failure: verdict.failure,
    detail: verdict.detail,
    ...(verdict.cause === undefined ? {} : { cause: verdict.cause }),
  }
}

/** Every trace line of a run, in step order (for a decision log). */
export function traceLines<F>(run: ChainRun<F>): string[] {
  return renderTraces(traceFunctions(run))
}

/** A run's trace functions, in step order. */
export type Traces = ReadonlyArray<() => readonly string[]>

/**
 * The trace functions of a run, in step order, to render later: holds neither the run nor its
 * verdicts and details, so a decision log that keeps it for a while keeps little.
 */
export function traceFunctions<F>(run: ChainRun<F>): Traces {
  let count = 0
  for (const o of run.outcomes) if (o.verdict.trace !== undefined) count += 1
  // Sized up front: an array grown by push reserves room for 17 elements.
  const traces = new Array<() => readonly string[]>(count)
  let at = 0
  for (const o of run.outcomes)
    if (o.verdict.trace !== undefined) {
      traces[at] = o.verdict.trace
      at += 1
    }
  return traces
}

/** The lines of `traceFunctions`, rendered now. */
export function renderTraces(traces: Traces): string[] {
  return traces.flatMap((trace) => trace())
}
