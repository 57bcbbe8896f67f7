/**
 * Dates as IAM reads them: W3C ISO 8601 (`2020-01-01`, `2020-01-01T00:00:01Z`, with fraction or
 * offset) or epoch seconds. Returns milliseconds since the epoch.
 */
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/u
const EPOCH = /^-?\d+(?:\.\d+)?$/u

export function parseDate(text: string): number | undefined {
  if (EPOCH.test(text)) return Number(text) * 1000
  if (!ISO.test(text)) return undefined
  // A date-time without an offset is UTC for IAM; Date.parse would read it as local time.
  const withZone = text.length > 10 && !/(?:Z|[+-]\d{2}:?\d{2})$/u.test(text) ? `${text}Z` : text
  const ms = Date.parse(withZone)
  return Number.isNaN(ms) ? undefined : ms
}
