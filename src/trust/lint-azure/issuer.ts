/** How a FIC's issuer differs from keyless's: not at all, only in spelling, or entirely. */
export interface IssuerDifference {
  readonly same: boolean
  /** Same issuer spelled differently (Entra treats it as another issuer). */
  readonly respelled: boolean
  readonly reasons: readonly string[]
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//iu
const strip = (url: string): string => url.replace(SCHEME, '').replace(/\/+$/u, '')
const scheme = (url: string): string => SCHEME.exec(url)?.[1]?.toLowerCase() ?? ''

export function issuerDifference(fic: string, ours: string): IssuerDifference {
  if (fic === ours) return { same: true, respelled: false, reasons: [] }
  const [a, b] = [fic.trim(), ours.trim()]
  if (strip(a).toLowerCase() !== strip(b).toLowerCase())
    return { same: false, respelled: false, reasons: [] }
  const reasons: string[] = []
  if (a !== fic) reasons.push('it has whitespace around it')
  if (a.endsWith('/') !== b.endsWith('/'))
    reasons.push(b.endsWith('/') ? 'it lacks the trailing slash' : 'it has a trailing slash')
  if (scheme(a) !== scheme(b))
    reasons.push(`its scheme is ${scheme(a) || 'missing'}, not ${scheme(b)}`)
  if (strip(a) !== strip(b) || (reasons.length === 0 && a.toLowerCase() === b.toLowerCase()))
    reasons.push('its case differs')
  if (reasons.length === 0) reasons.push('it is spelled differently')
  return { same: false, respelled: true, reasons }
}
