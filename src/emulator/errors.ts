/**
 * The AWS wire errors the emulator answers with. The codes, statuses and messages are the web-
 * identity core's (src/federation/aws/errors.ts, mirroring the AWS SDK's `awsQueryError` entries and
 * docs/aws-behaviour.md §9, §14, §15). Handlers throw `AwsError`; the Query protocol layer turns it
 * into `<ErrorResponse>`.
 */
import { awsErrorTable, type AwsErrorCode } from '../federation/aws/errors.js'

export {
  awsErrorTable,
  awsMessages,
  noProviderMessage,
  type AwsErrorCode,
} from '../federation/aws/errors.js'

/** An AWS error as it goes on the wire: code, message, HTTP status and fault. */
export class AwsError extends Error {
  readonly code: AwsErrorCode
  readonly httpStatus: number
  readonly fault: 'Sender' | 'Receiver'
  /** Why, in detail, for the decision log and server log only; never sent to the client. */
  readonly detail: string | undefined

  constructor(code: AwsErrorCode, message: string, detail?: string) {
    super(message)
    this.name = 'AwsError'
    this.code = code
    this.httpStatus = awsErrorTable[code].status
    this.fault = awsErrorTable[code].fault
    this.detail = detail
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError
}
