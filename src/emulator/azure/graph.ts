/**
 * Microsoft Graph's shapes for what the emulator keeps: the organization, applications (with
 * their service principal) and their federated identity credentials, under /v1.0 and /beta
 * (flexible credentials only under /beta).
 */
import { randomUUID } from 'node:crypto'
import {
  checkFic,
  checkSiblings,
  type Fic,
  type FicProblem,
  type FicRules,
} from '../../federation/azure/fic.js'
import type { Application, AzureDirectory } from './directory.js'
import { json, jsonObject, type AzureReply, type AzureRequest } from './reply.js'

export interface GraphContext {
  readonly directory: AzureDirectory
  readonly nowMs: number
  readonly flexibleIssuers: readonly string[]
}

export function graphError(
  status: number,
  code: string,
  message: string,
  nowMs: number,
): AzureReply {
  return json(status, {
    error: {
      code,
      message,
      innerError: {
        date: new Date(nowMs).toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  })
}

function problemText(p: FicProblem): string {
  switch (p.kind) {
    case 'name-invalid':
      return `Federated Identity Credential name '${p.name}' is invalid.`
    case 'field-missing':
      return `Property '${p.field}' is required.`
    case 'field-too-long':
      return `Property '${p.field}' exceeds the maximum length of 600.`
    case 'field-not-string':
      return `Property '${p.field}' must be a string.`
    case 'audience-count':
      return 'Federated identity credentials must have exactly one audience.'
    case 'subject-and-expression':
      return "Only one of 'subject' and 'claimsMatchingExpression' may be set."
    case 'expression-invalid':
      return `claimsMatchingExpression is invalid: ${p.detail}.`
    case 'expression-not-allowed':
      return `claimsMatchingExpression is not supported for issuer '${p.issuer}'.`
    case 'limit':
      return 'FederatedIdentityCredential limit of 20 reached for this application.'
    case 'duplicate':
      return `Issuer and subject combination already exists for this application (federated identity credential '${p.other}').`
  }
}

export function ficJson(f: Fic, beta: boolean): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    issuer: f.issuer,
    subject: f.subject,
    description: f.description,
    audiences: f.audiences,
    ...(beta ? { claimsMatchingExpression: f.claimsMatchingExpression } : {}),
  }
}

function appJson(app: Application, origin: string, version: string): Record<string, unknown> {
  return {
    '@odata.context': `${origin}/${version}/$metadata#applications/$entity`,
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    createdDateTime: app.createdDateTime,
    signInAudience: 'AzureADMyOrg',
    servicePrincipalId: app.servicePrincipalId,
  }
}

/** Writes a FIC under an app (create or replace by name); answers the Graph reply. */
function writeFic(
  ctx: GraphContext,
  app: Application,
  body: Record<string, unknown>,
  beta: boolean,
  existing: Fic | undefined,
  origin: string,
  version: string,
): AzureReply {
  const rules: FicRules = { flexible: beta, flexibleIssuers: ctx.flexibleIssuers }
  const merged =
    existing === undefined ? body : { ...ficJson(existing, true), ...body, name: existing.name }
  const checked = checkFic(merged as never, rules)
  if ('kind' in checked)
    return graphError(400, 'Request_BadRequest', problemText(checked), ctx.nowMs)
  const sibling = checkSiblings(checked, [...app.fics.values()], existing?.name)
  if (sibling !== undefined)
    return graphError(400, 'Request_BadRequest', problemText(sibling), ctx.nowMs)
  const fic: Fic = { ...checked, id: existing?.id ?? randomUUID(), createdAtMs: ctx.nowMs }
  if (existing !== undefined) app.fics.delete(existing.name)
  app.fics.set(fic.name, fic)
  if (existing !== undefined) return { status: 204 }
  return json(201, {
    '@odata.context': `${origin}/${version}/$metadata#applications('${app.id}')/federatedIdentityCredentials/$entity`,
    ...ficJson(fic, beta),
  })
}

const APP =
  /^\/(v1\.0|beta)\/applications(?:\/([0-9a-fA-F-]{36})|\(appId='([^']*)'\))(\/federatedIdentityCredentials(?:\/([0-9a-fA-F-]{36})|\(name='([^']*)'\))?)?$/u

function ficRoute(
  ctx: GraphContext,
  req: AzureRequest,
  app: Application,
  version: string,
  id: string | undefined,
  name: string | undefined,
): AzureReply {
  const beta = version === 'beta'
  const body = jsonObject(req.body)
  const one = id === undefined && name === undefined
  if (one) {
    if (req.method === 'GET')
      return json(200, {
        '@odata.context': `${req.origin}/${version}/$metadata#applications('${app.id}')/federatedIdentityCredentials`,
        value: [...app.fics.values()].map((f) => ficJson(f, beta)),
      })
    if (req.method !== 'POST')
      return graphError(405, 'Request_BadRequest', 'Method not allowed.', ctx.nowMs)
    if (body === undefined)
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.', ctx.nowMs)
    const taken = typeof body['name'] === 'string' ? app.fics.get(body['name']) : undefined
    if (taken !== undefined)
      return graphError(
        409,
        'Request_MultipleObjectsWithSameKeyValue',
        `Another object with the same value for property name already exists.`,
        ctx.nowMs,
      )
    return writeFic(ctx, app, body, beta, undefined, req.origin, version)
  }
  const fic =
    name !== undefined
      ? app.fics.get(name)
      : [...app.fics.values()].find((f) => f.id === id?.toLowerCase())
  if (req.method === 'PATCH' && fic === undefined && name !== undefined) {
    if (body === undefined)
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.', ctx.nowMs)
    return writeFic(ctx, app, { ...body, name }, beta, undefined, req.origin, version)
  }
  if (fic === undefined)
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id ?? name ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
      ctx.nowMs,
    )
  if (req.method === 'GET')
    return json(200, {
      '@odata.context': `${req.origin}/${version}/$metadata#applications('${app.id}')/federatedIdentityCredentials/$entity`,
      ...ficJson(fic, beta),
    })
  if (req.method === 'DELETE') {
    app.fics.delete(fic.name)
    return { status: 204 }
  }
  if (req.method === 'PATCH') {
    if (body === undefined)
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.', ctx.nowMs)
    return writeFic(ctx, app, body, beta, fic, req.origin, version)
  }
  return graphError(405, 'Request_BadRequest', 'Method not allowed.', ctx.nowMs)
}

/** Routes /v1.0 and /beta; undefined when the path is not Graph's. */
export function graphRoute(ctx: GraphContext, req: AzureRequest): AzureReply | undefined {
  const { directory } = ctx
  if (req.path === '/v1.0/organization' || req.path === '/beta/organization') {
    if (req.method !== 'GET')
      return graphError(405, 'Request_BadRequest', 'Method not allowed.', ctx.nowMs)
    return json(200, {
      value: [
        {
          id: directory.tenantId,
          displayName: 'keyless emulator',
          verifiedDomains: [{ name: 'keyless.onmicrosoft.com', isDefault: true, isInitial: true }],
        },
      ],
    })
  }
  const version = req.path.startsWith('/beta/') ? 'beta' : 'v1.0'
  if (req.path === `/${version}/applications`) {
    if (req.method === 'GET')
      return json(200, {
        value: [...directory.applications.values()].map((a) => appJson(a, req.origin, version)),
      })
    if (req.method !== 'POST')
      return graphError(405, 'Request_BadRequest', 'Method not allowed.', ctx.nowMs)
    const body = jsonObject(req.body)
    const name = body?.['displayName']
    if (typeof name !== 'string' || name === '')
      return graphError(400, 'Request_BadRequest', "Property 'displayName' is required.", ctx.nowMs)
    return json(201, appJson(directory.createApplication(name, ctx.nowMs), req.origin, version))
  }
  const m = APP.exec(req.path)
  if (m === null)
    return req.path.startsWith('/v1.0/') || req.path.startsWith('/beta/')
      ? graphError(
          400,
          'Request_BadRequest',
          `Resource not found for the segment '${req.path.split('/')[2] ?? ''}'.`,
          ctx.nowMs,
        )
      : undefined
  const [, ver = 'v1.0', id, appId, fics, ficId, ficName] = m
  const app = directory.application(id !== undefined ? { id } : { appId: appId ?? '' })
  if (app === undefined)
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id ?? appId ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
      ctx.nowMs,
    )
  if (fics !== undefined) return ficRoute(ctx, req, app, ver, ficId, ficName)
  if (req.method === 'GET') return json(200, appJson(app, req.origin, ver))
  if (req.method === 'DELETE') {
    directory.applications.delete(app.id)
    return { status: 204 }
  }
  return graphError(405, 'Request_BadRequest', 'Method not allowed.', ctx.nowMs)
}
