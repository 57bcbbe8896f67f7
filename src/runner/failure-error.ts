import { KeylessError } from '../shared/errors.js'

/** The failure a deployment ends with, as reported in its final status. */
export interface FailureReport {
  readonly code?: string
  readonly message: string
  readonly explanation?: string[]
}

/** Thrown inside the runner to end a deployment as failed with an actionable report. */
export class RunFailure extends KeylessError {
  readonly failure: FailureReport

  constructor(failure: FailureReport) {
    super('deployment_failed', failure.message)
    this.name = 'RunFailure'
    this.failure = failure
  }
}
