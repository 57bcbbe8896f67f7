/**
 * The Query protocol pipeline (practice 1): parse → resolve action → authenticate → validate →
 * handle → serialize. Everything about the wire (parameters, XML, RequestIds, error bodies)
 * happens here and in its siblings; action handlers see typed objects only.
 */
import { randomUUID } from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import type { Logger } from '../../shared/logger.js'
import type { ActionContext, Caller } from '../action.js'
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

export async function dispatch(req: WireRequest, env: DispatchEnv): Promise<WireResponse> {
  const requestId = randomUUID()
  let service: ServiceName = 'sts'
  try {
    const params = parseQueryParams(req.rawQuery, req.formBody ? req.body : '')
    const version = params.values.get('Version')
    const actionName = params.values.get('Action')
    const target = req.headers['x-amz-target']
    if (version !== undefined) {
      const s = serviceOfVersion(version)
      if (s === undefined)
        throw new AwsError(
          'NoSuchVersion',
          `The requested version (${version}) of service is not supported.`,
        )
      service = s
    } else if (
      actionName !== undefined &&
      findAction('sts', actionName) === undefined &&
      findAction('iam', actionName) !== undefined
    ) {
      service = 'iam'
    }
    if (actionName === undefined) {
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
        `Could not find operation ${actionName} for version ${version ?? serviceVersions[service]}`,
      )

    let caller: Caller | undefined
    if (action.auth !== 'none') {
      if (!isSigned(req))
        throw new AwsError('MissingAuthenticationToken', awsMessages.missingAuthenticationToken)
      const verified = verifySigV4<Caller>(req, {
        now: env.clock.now(),
        service,
        skewMs: SKEW_MS,
        resolve: resolverOf(env),
      })
      caller = verified.caller
      if (action.auth === 'admin' && caller.kind !== 'admin')
        throw new AwsError(
          'AccessDenied',
          `User: ${caller.session.assumedRoleArn} is not authorized to perform: ${service}:${action.name} because no identity-based policy allows the ${service}:${action.name} action`,
        )
    }
    const userAgent = req.headers['user-agent']
    const ctx: ActionContext = {
      ...env,
      requestId,
      caller,
      request: {
        sourceIp: req.sourceIp,
        userAgent: Array.isArray(userAgent) ? userAgent.join(' ') : userAgent,
        secure: req.secure,
      },
    }
    if (params.duplicates.length > 0) {
      const error = new AwsError(
        'ValidationError',
        `Parameter ${params.duplicates[0] ?? ''} was specified more than once.`,
      )
      action.refused(error, params.values, ctx)
      throw error
    }
    const ran = action.run(params.values, ctx)
    const output = ran instanceof Promise ? await ran : ran
    const body = successXml(
      service,
      action.name,
      action.result === undefined ? undefined : { shape: action.result, value: output ?? {} },
      requestId,
    )
    return { status: 200, requestId, body }
  } catch (error) {
    if (isAwsError(error)) {
      return { status: error.httpStatus, requestId, body: errorXml(service, error, requestId) }
    }
    env.logger.error({ err: error, requestId }, 'emulator request failed unexpectedly')
    const failure = new AwsError('InternalFailure', awsMessages.internalFailure)
    return { status: failure.httpStatus, requestId, body: errorXml(service, failure, requestId) }
  }
}
