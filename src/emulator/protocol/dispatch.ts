/**
 * The Query protocol pipeline (practice 1): parse → resolve action → authenticate → validate →
 * handle → serialize. Everything about the wire (parameters, XML, RequestIds, error bodies)
 * happens here and in its siblings; action handlers see typed objects only.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import type { Logger } from '../../shared/logger.js'
import type { ActionContext, ActionResult, Caller, RegisteredAction } from '../action.js'
import type { EmulatorSettings } from '../config.js'
import type { DecisionLog } from '../decisions.js'
import { AwsError, awsMessages, isAwsError } from '../errors.js'
import type { IssuerKeys } from '../oidc/keys.js'
import { findAction, serviceOfVersion, serviceVersions } from '../registry.js'
import { isSigned, verifySigV4, type ResolvedCredential } from '../sigv4/verify.js'
import type { EmulatorState } from '../state/types.js'
import { parseQueryParams } from './params.js'
import { errorXml, successXml, type ServiceName } from './xml.js'

export interface WireRequest {
  readonly method: string
  readonly path: string
  readonly rawQuery: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The form body ('' when the body is not form-encoded). */
  readonly body: string
  readonly formBody: boolean
  readonly sourceIp: string
  readonly secure: boolean
}

export interface WireResponse {
  readonly status: number
  readonly requestId: string
  readonly body: string
}

export interface DispatchEnv {
  readonly settings: EmulatorSettings
  readonly state: EmulatorState
  readonly clock: Clock
  readonly logger: Logger
  readonly keys: IssuerKeys
  readonly decisions: DecisionLog
}

const SKEW_MS = 15 * 60 * 1000

type Resolver = (accessKeyId: string) => ResolvedCredential<Caller> | undefined

/** One credential resolver per environment, not a new closure per signed request. */
const resolvers = new WeakMap<DispatchEnv, Resolver>()

function resolverOf(env: DispatchEnv): Resolver {
  let resolve = resolvers.get(env)
  if (resolve === undefined) {
    resolve = (accessKeyId) => {
      if (accessKeyId === env.settings.accessKeyId)
        return {
          secretAccessKey: env.settings.secretAccessKey,
          caller: { kind: 'admin', accessKeyId },
        }
      const session = env.state.sessions.get(accessKeyId)
      if (session === undefined) return undefined
      return {
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        expiresAt: session.expiresAt,
        caller: { kind: 'session', session },
      }
    }
    resolvers.set(env, resolve)
  }
  return resolve
}

/** The service a request names: its Version, else the service that has its Action (STS first). */
function serviceOf(params: ReadonlyMap<string, string>): ServiceName {
  const version = params.get('Version')
  if (version !== undefined) {
    const s = serviceOfVersion(version)
    if (s === undefined)
      throw new AwsError(
        'NoSuchVersion',
        `The requested version (${version}) of service is not supported.`,
      )
    return s
  }
  const actionName = params.get('Action')
  return actionName !== undefined &&
    findAction('sts', actionName) === undefined &&
    findAction('iam', actionName) !== undefined
    ? 'iam'
    : 'sts'
}

function actionOf(
  req: WireRequest,
  service: ServiceName,
  params: ReadonlyMap<string, string>,
): RegisteredAction {
  const actionName = params.get('Action')
  if (actionName === undefined) {
    const target = req.headers['x-amz-target']
    if (target !== undefined)
      throw new AwsError(
        'InvalidAction',
        `Could not find operation ${String(target)} for version ${serviceVersions[service]}`,
      )
    throw new AwsError('MissingAction', 'Missing Action')
  }
  const action = findAction(service, actionName)
  if (action === undefined)
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${actionName} for version ${params.get('Version') ?? serviceVersions[service]}`,
    )
  return action
}

/** Who signed the request (undefined for unsigned actions); throws when the action refuses it. */
function callerOf(
  req: WireRequest,
  env: DispatchEnv,
  service: ServiceName,
  action: RegisteredAction,
): Caller | undefined {
  if (action.auth === 'none') return undefined
  if (!isSigned(req))
    throw new AwsError('MissingAuthenticationToken', awsMessages.missingAuthenticationToken)
  const { caller } = verifySigV4<Caller>(req, {
    now: env.clock.now(),
    service,
    skewMs: SKEW_MS,
    resolve: resolverOf(env),
  })
  if (action.auth === 'admin' && caller.kind !== 'admin')
    throw new AwsError(
      'AccessDenied',
      `User: ${caller.session.assumedRoleArn} is not authorized to perform: ${service}:${action.name} because no identity-based policy allows the ${service}:${action.name} action`,
    )
  return caller
}

/** The handler's context, built as one literal (one object shape for every request). */
function contextOf(
  req: WireRequest,
  env: DispatchEnv,
  requestId: string,
  caller: Caller | undefined,
): ActionContext {
  const userAgent = req.headers['user-agent']
  return {
    settings: env.settings,
    state: env.state,
    clock: env.clock,
    logger: env.logger,
    keys: env.keys,
    decisions: env.decisions,
    requestId,
    caller,
    request: {
      sourceIp: req.sourceIp,
      userAgent: Array.isArray(userAgent) ? userAgent.join(' ') : userAgent,
      secure: req.secure,
    },
  }
}

function failed(
  error: unknown,
  service: ServiceName,
  requestId: string,
  env: DispatchEnv,
): WireResponse {
  if (isAwsError(error)) {
    return { status: error.httpStatus, requestId, body: errorXml(service, error, requestId) }
  }
  env.logger.error({ err: error, requestId }, 'emulator request failed unexpectedly')
  const failure = new AwsError('InternalFailure', awsMessages.internalFailure)
  return { status: failure.httpStatus, requestId, body: errorXml(service, failure, requestId) }
}

function succeeded(
  service: ServiceName,
  action: RegisteredAction,
  output: ActionResult | void,
  requestId: string,
): WireResponse {
  const body = successXml(
    service,
    action.name,
    action.result === undefined ? undefined : { shape: action.result, value: output ?? {} },
    requestId,
  )
  return { status: 200, requestId, body }
}

/**
 * The answer to a request, without a pause where none is needed: a promise only when the
 * action waits (keys to fetch); never rejects or throws (errors become AWS error responses).
 */
export function dispatchEager(
  req: WireRequest,
  env: DispatchEnv,
): WireResponse | Promise<WireResponse> {
  const requestId = randomUUID()
  let service: ServiceName = 'sts'
  try {
    const params = parseQueryParams(req.rawQuery, req.formBody ? req.body : '')
    service = serviceOf(params.values)
    const action = actionOf(req, service, params.values)
    const ctx = contextOf(req, env, requestId, callerOf(req, env, service, action))
    if (params.duplicates.length > 0) {
      const error = new AwsError(
        'ValidationError',
        `Parameter ${params.duplicates[0] ?? ''} was specified more than once.`,
      )
      action.refused(error, params.values, ctx)
      throw error
    }
    const ran = action.run(params.values, ctx)
    if (!(ran instanceof Promise)) return succeeded(service, action, ran, requestId)
    const s = service
    return ran.then(
      (output) => succeeded(s, action, output, requestId),
      (error: unknown) => failed(error, s, requestId, env),
    )
  } catch (error) {
    return failed(error, service, requestId, env)
  }
}

export async function dispatch(req: WireRequest, env: DispatchEnv): Promise<WireResponse> {
  return dispatchEager(req, env)
}
