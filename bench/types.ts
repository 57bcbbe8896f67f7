/** One benchmark's result: a title, a table and the ratio(s) it is judged by. */
export interface BenchSection {
  readonly title: string
  /** Markdown paragraphs before the table (what was measured, how). */
  readonly notes: readonly string[]
  readonly columns: readonly string[]
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
  /** Targets and whether they were met, e.g. `{ target: '≥ 0.7× raw', measured: '0.82×', met: true }`. */
  readonly targets: ReadonlyArray<{
    readonly target: string
    readonly measured: string
    readonly met: boolean
  }>
}

export interface Benchmark {
  readonly name: string
  run(): Promise<BenchSection>
}
