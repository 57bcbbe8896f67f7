/**
 * One AWS action = one module exporting `defineAction({...})` (practice 2): its service, auth,
 * declared input, result shape and handler. Handlers take typed input and return a typed
 * result; they never see the wire format.
 */
import type { Logger } from '../shared/logger.js'
import type { Clock } from '../shared/clock.js'
import type { EmulatorSettings } from './config.js'
import type { DecisionLog } from './decisions.js'
import { isAwsError, type AwsError } from './errors.js'
import type { IssuerKeys } from './oidc/keys.js'
import { readInput, type InputOf, type InputSpec } from './protocol/input.js'
import type { ServiceName, StructureShape } from './protocol/xml.js'
import type { EmulatorState, SessionRecord } from './state/types.js'

export type Caller =
  | { readonly kind: 'admin'; readonly accessKeyId: string }
  | { readonly kind: 'session'; readonly session: SessionRecord }

export interface ActionContext {
  readonly settings: EmulatorSettings
  readonly state: EmulatorState
  readonly clock: Clock
  readonly logger: Logger
  readonly keys: IssuerKeys
  readonly decisions: DecisionLog
  readonly requestId: string
  /** Who signed the request; undefined for unsigned actions. */
  readonly caller: Caller | undefined
  readonly request: {
    readonly sourceIp: string
    readonly userAgent: string | undefined
    readonly secure: boolean
  }
}

/** `none`: unsigned (a signature is ignored); `admin`: the admin keys; `any`: admin or session. */
export type ActionAuth = 'none' | 'admin' | 'any'

export type ActionResult = Readonly<Record<string, unknown>>

export interface ActionDefinition<S extends InputSpec> {
  readonly service: ServiceName
  readonly name: string
  readonly auth: ActionAuth
  readonly input: S
  /** Shape of `<NameResult>`; absent for actions that answer only ResponseMetadata. */
  readonly result?: StructureShape
  readonly handler: (
    input: InputOf<S>,
    ctx: ActionContext,
  ) => ActionResult | void | Promise<ActionResult | void>
  /** Called when the request is refused before the handler runs (validation), e.g. to log it. */
  readonly onRefused?: (
    error: AwsError,
    params: ReadonlyMap<string, string>,
    ctx: ActionContext,
  ) => void
}

/** What the registry holds: the definition with its input reading closed over. */
export interface RegisteredAction {
  readonly service: ServiceName
  readonly name: string
  readonly auth: ActionAuth
  readonly result: StructureShape | undefined
  /** The handler's answer; a promise only when the handler waits. Throws AWS errors. */
  run(
    params: ReadonlyMap<string, string>,
    ctx: ActionContext,
  ): ActionResult | void | Promise<ActionResult | void>
  refused(error: AwsError, params: ReadonlyMap<string, string>, ctx: ActionContext): void
}

export function defineAction<S extends InputSpec>(def: ActionDefinition<S>): RegisteredAction {
  return {
    service: def.service,
    name: def.name,
    auth: def.auth,
    result: def.result,
    run(params, ctx) {
      let input: InputOf<S>
      try {
        input = readInput(def.input, params)
      } catch (error) {
        if (isAwsError(error)) def.onRefused?.(error, params, ctx)
        throw error
      }
      return def.handler(input, ctx)
    },
    refused(error, params, ctx) {
      def.onRefused?.(error, params, ctx)
    },
  }
}
