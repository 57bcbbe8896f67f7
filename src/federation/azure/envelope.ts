/**
 * Entra's error body: seven keys, the description ending in the Trace ID / Correlation ID /
 * Timestamp trailer. Ids and time are passed in (this folder is pure).
 */
import type { AzureFailure } from './errors.js'

export interface EnvelopeIds {
  readonly traceId: string
  /** The caller's `client-request-id` when it sent one. */
  readonly correlationId: string
  readonly nowMs: number
  /** `' '` (today) or `'\r\n'` (older bodies). */
  readonly trailerSeparator?: string
}

export interface AzureErrorBody {
  readonly error: string
  readonly error_description: string
  readonly error_codes: readonly number[]
  readonly timestamp: string
  readonly trace_id: string
  readonly correlation_id: string
  readonly error_uri: string
}

/** `2025-10-13 14:54:34Z`. */
export function entraTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`
}

export function azureErrorBody(failure: AzureFailure, ids: EnvelopeIds): AzureErrorBody {
  const timestamp = entraTimestamp(ids.nowMs)
  const sep = ids.trailerSeparator ?? ' '
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message}${sep}Trace ID: ${ids.traceId}${sep}Correlation ID: ${ids.correlationId}${sep}Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  }
}
