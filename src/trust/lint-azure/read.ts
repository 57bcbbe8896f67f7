/**
 * Reads federated identity credentials from JSON: Graph's list answer (`{ "value": [...] }`),
 * ARM's (items with `properties`), an array of credentials, one credential, or the JSON of
 * `keyless setup azure` (`{ "applications": [{ "clientId", "federatedIdentityCredentials" }] }`).
 */
import { KeylessError } from '../../shared/errors.js'
import type { FicView } from './types.js'

/** More FICs than any application can hold, by far (Entra keeps 20). */
const MAX_FICS_READ = 1000

export interface ReadApplication {
  readonly application: string | null
  readonly fics: readonly FicView[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function unreadable(detail: string): never {
  throw new KeylessError(
    'input_unreadable',
    `not federated identity credentials: ${detail} (expected Graph's { "value": [...] }, an array of credentials, one credential, or the JSON of keyless setup azure)`,
  )
}

function view(raw: unknown, index: number, application: string | null): FicView {
  if (!isObject(raw)) unreadable(`item ${index} is not an object`)
  const fields = isObject(raw['properties']) ? { ...raw['properties'], name: raw['name'] } : raw
  const name = typeof fields['name'] === 'string' ? fields['name'] : `[${index}]`
  return {
    application,
    name,
    issuer: fields['issuer'],
    subject: fields['subject'],
    audiences: fields['audiences'],
    ...(fields['claimsMatchingExpression'] === undefined
      ? {}
      : { claimsMatchingExpression: fields['claimsMatchingExpression'] }),
    label: application === null ? name : `${application}/${name}`,
  }
}

function list(items: unknown, application: string | null): FicView[] {
  if (!Array.isArray(items)) unreadable('the credentials are not an array')
  if (items.length > MAX_FICS_READ) unreadable(`${items.length} credentials`)
  return items.map((item, i) => view(item, i, application))
}

function applications(json: unknown): ReadApplication[] {
  if (Array.isArray(json)) return [{ application: null, fics: list(json, null) }]
  if (!isObject(json)) unreadable('the document is not an object or an array')
  if (Array.isArray(json['applications']))
    return json['applications'].map((app, i) => {
      if (!isObject(app)) unreadable(`application ${i} is not an object`)
      const id = typeof app['clientId'] === 'string' ? app['clientId'] : `[${i}]`
      return { application: id, fics: list(app['federatedIdentityCredentials'], id) }
    })
  if ('value' in json) return [{ application: null, fics: list(json['value'], null) }]
  if ('issuer' in json || isObject(json['properties']))
    return [{ application: null, fics: [view(json, 0, null)] }]
  return unreadable('no "value", "applications" or "issuer"')
}

export function readFics(text: string): ReadApplication[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    unreadable(`not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  return applications(json)
}
