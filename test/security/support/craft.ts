/**
 * Builds the token of an attack case from its recipe: header and claims merged over honest
 * defaults (a member set to `undefined` is left out), or raw JSON text, signed as the recipe
 * says (validly, not at all, HMAC with the public key, …), then mutated.
 */
import { CorpusKeys, type KeyName } from './corpus-issuer.js'

export interface CraftContext {
  /** The emulator's clock, in seconds. */
  readonly now: number
  readonly keys: CorpusKeys
  /** An issuer URL of the corpus server, e.g. `url('good')`. */
  url(issuer: string): string
}

type Json = Record<string, unknown>
type Dynamic<T> = T | ((c: CraftContext) => T)

export type Signature =
  | 'valid'
  | 'none'
  | 'hmac-pem'
  | 'hmac-der'
  | 'hmac-jwk'
  | 'hmac-n'
  | 'der'
  | 'bitflip'
  | 'truncated'

export interface TokenRecipe {
  /** Corpus issuer name; default `good`. */
  readonly issuer?: string
  /** Merged over `{ alg: 'RS256', typ: 'JWT', kid: <key> }`. */
  readonly header?: Dynamic<Json>
  readonly claims?: Dynamic<Json>
  /** Signing key; default by alg (RS* → rsa1, ES256 → ec256, ES384 → ec384, ES512 → ec521). */
  readonly key?: KeyName
  readonly signature?: Signature
  /** Header / payload JSON text, verbatim (instead of header / claims). */
  readonly rawHeader?: Dynamic<string>
  readonly rawPayload?: Dynamic<string>
  /** Segment encoder (default base64url); the signature covers what it produces. */
  readonly encode?: (json: string) => string
  /** Applied to the finished token. */
  readonly mutate?: (token: string, c: CraftContext) => string
  /** The whole token, verbatim. */
  readonly raw?: Dynamic<string>
}

const value = <T>(v: Dynamic<T> | undefined, c: CraftContext): T | undefined =>
  typeof v === 'function' ? (v as (c: CraftContext) => T)(c) : v

export const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url')

function merged(base: Json, over: Json | undefined): Json {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(over ?? {}))
    if (v === undefined) delete out[k]
    else out[k] = v
  return out
}

function defaultKey(alg: unknown): KeyName {
  if (alg === 'ES384') return 'ec384'
  if (alg === 'ES512') return 'ec521'
  if (typeof alg === 'string' && alg.startsWith('ES')) return 'ec256'
  return 'rsa1'
}

/** The honest claims of an issuer's token at `now`. */
export function honestClaims(c: CraftContext, issuer = 'good'): Json {
  return {
    iss: c.url(issuer),
    aud: 'sts.amazonaws.com',
    sub: 'user-123456',
    iat: c.now,
    exp: c.now + 600,
    jti: 'corpus-0001',
  }
}

function signatureOf(
  recipe: TokenRecipe,
  alg: string,
  key: KeyName,
  input: string,
  c: CraftContext,
): string {
  const hmacAlg = alg.startsWith('HS') ? alg : 'HS256'
  switch (recipe.signature ?? 'valid') {
    case 'none':
      return ''
    case 'hmac-pem':
      return b64url(CorpusKeys.hmac(hmacAlg, c.keys.publicPem(key), input))
    case 'hmac-der':
      return b64url(CorpusKeys.hmac(hmacAlg, c.keys.publicDer(key), input))
    case 'hmac-jwk':
      return b64url(CorpusKeys.hmac(hmacAlg, JSON.stringify(c.keys.jwk(key)), input))
    case 'hmac-n':
      return b64url(CorpusKeys.hmac(hmacAlg, String(c.keys.jwk(key)['n']), input))
    case 'der':
      return b64url(c.keys.sign(alg, key, input, { der: true }))
    case 'bitflip': {
      const sig = c.keys.sign(alg, key, input)
      sig[10] = (sig[10] ?? 0) ^ 0x01
      return b64url(sig)
    }
    case 'truncated':
      return b64url(c.keys.sign(alg, key, input)).slice(0, -4)
    case 'valid':
      return b64url(c.keys.sign(alg.startsWith('HS') ? 'RS256' : alg, key, input))
  }
}

export function craft(recipe: TokenRecipe, c: CraftContext): string {
  const raw = value(recipe.raw, c)
  if (raw !== undefined) return raw
  const requested = value(recipe.header, c) ?? {}
  const key = recipe.key ?? defaultKey(requested['alg'] ?? 'RS256')
  const header = merged({ alg: 'RS256', typ: 'JWT', kid: key }, requested)
  const claims = merged(honestClaims(c, recipe.issuer), value(recipe.claims, c))
  const encode = recipe.encode ?? b64url
  const h = encode(value(recipe.rawHeader, c) ?? JSON.stringify(header))
  const p = encode(value(recipe.rawPayload, c) ?? JSON.stringify(claims))
  const alg = typeof header['alg'] === 'string' ? header['alg'] : 'RS256'
  // Real signatures need a real algorithm: anything else is signed as RS256 (or HMAC for HS*).
  const signAlg = /^(RS|ES|PS|HS)\d{3}$/u.test(alg) ? alg : 'RS256'
  const token = `${h}.${p}.${signatureOf(recipe, signAlg, key, `${h}.${p}`, c)}`
  return recipe.mutate === undefined ? token : recipe.mutate(token, c)
}
