/**
 * Google's `extract()` (docs/gcp.md, "CEL"): `'arn:aws:sts::1:assumed-role/R/s'.extract('assumed-role/{role}/')`
 * is `R` — the text after the template's prefix up to its suffix. No `{…}` placeholder, or more
 * than one, is an error; a prefix or suffix not found gives the empty string.
 */
export function extractTemplate(value: string, template: string): string {
  const open = template.indexOf('{')
  const close = template.indexOf('}', open + 1)
  if (open < 0 || close < 0 || template.indexOf('{', close + 1) >= 0)
    throw new Error(`extract(): the template ${JSON.stringify(template)} needs one {placeholder}`)
  const prefix = template.slice(0, open)
  const suffix = template.slice(close + 1)
  const start = prefix === '' ? 0 : value.indexOf(prefix)
  if (start < 0) return ''
  const from = start + prefix.length
  if (suffix === '') return value.slice(from)
  const end = value.indexOf(suffix, from)
  return end < 0 ? '' : value.slice(from, end)
}
