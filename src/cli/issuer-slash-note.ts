/**
 * Offline setup (`--issuer`) cannot ask the control plane for the issuer, and AWS and Entra
 * compare it with the token's `iss` byte for byte: a trailing `/` typed by habit makes every
 * token fail (AWS: no OpenIDConnect provider found; Entra: AADSTS700211). Say so once.
 */
export function issuerSlashNote(issuer: string | undefined): string | undefined {
  if (issuer === undefined || !issuer.endsWith('/')) return undefined
  return `note: --issuer ${issuer} ends in '/': it is compared with the tokens' iss byte for byte, so keyless's issuer (its --issuer-url; GET /api/v1/organizations/{id}/oidc) must end in '/' too, or no token matches`
}
