import type { Counter } from 'prom-client'
import type { IdentityProvider } from '../idp/types.js'
import type { Platform } from '../platform/index.js'
import type { Clock } from '../shared/clock.js'

/** What route groups share. */
export interface RouteDeps {
  readonly platform: Platform
  readonly idp: IdentityProvider
  readonly clock: Clock
  /** Aborted when the server closes: long polls and SSE streams end. */
  readonly closing: AbortSignal
  readonly metrics: {
    readonly tokensMinted: Counter<'mode'>
    readonly deploymentsCreated: Counter
  }
}
