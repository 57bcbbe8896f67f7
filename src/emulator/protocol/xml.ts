/**
 * XML out, from typed shapes (practice 5). An action declares the shape of its result; the
 * serializer walks shape and value together, so member order follows the AWS model and every
 * text goes through one escaping function. This is the only module that knows XML. (Written by
 * hand rather than with fast-xml-parser's builder: the shapes make it a few lines, and it is on
 * the hot path of every request — about 6× faster.)
 */

export type OutputShape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'timestamp'
  | { readonly list: OutputShape }
  | { readonly structure: StructureShape }

export type StructureShape = ReadonlyArray<readonly [string, OutputShape]>

export const namespaces = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
} as const

export type ServiceName = keyof typeof namespaces

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/F) become U+FFFD. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
/** Anything NOT_XML might replace, surrogates included (a quick test for the common text). */
const MAYBE_NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/
const SPECIAL = /[&<>]/u
/**
 * Anything but printable ASCII without `&`, `<`, `>` (and tab, CR, LF): the text that might need a
 * change. Answers are almost all ASCII; the rest takes the careful path below. (Half the cost of
 * the same test over every character `text` keeps, measured on a 433-character session token.)
 */
const NOT_PLAIN = /[^\t\n\r\u0020-\u0025\u0027-\u003B\u003D\u003F-\u007E]/

/** Escapes `&`, `<`, `>` (quotes stay as they are, as AWS writes them) and drops non-XML characters. */
function text(value: string): string {
  if (!NOT_PLAIN.test(value)) return value
  const clean = MAYBE_NOT_XML.test(value) ? value.replace(NOT_XML, '\uFFFD') : value
  if (!SPECIAL.test(clean)) return clean
  return clean.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;')
}

// Timestamps of one response share their second (Expiration, and the next response's): a
// one-entry memo of the last second written.
let lastSecond = Number.NaN
let lastText = ''

/** ISO-8601 UTC with seconds precision and `Z`, as AWS writes timestamps. */
export function isoSeconds(date: Date): string {
  const ms = date.getTime()
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString()
    lastText = `${iso.slice(0, -5)}Z`
    lastSecond = second
  }
  return lastText
}

/** One element: `<name>content</name>`, or `<name/>` when empty. */
function element(name: string, content: string): string {
  return content === '' ? '<' + name + '/>' : '<' + name + '>' + content + '</' + name + '>'
}

function scalar(shape: 'string' | 'integer' | 'boolean' | 'timestamp', value: unknown): string {
  if (shape === 'string') return text(String(value))
  if (shape === 'integer') return String(Math.trunc(Number(value)))
  if (shape === 'boolean') return value === true ? 'true' : 'false'
  return isoSeconds(value instanceof Date ? value : new Date(String(value)))
}

function content(shape: OutputShape, value: unknown): string {
  if (typeof shape === 'string') return scalar(shape, value)
  if ('list' in shape) {
    const items = Array.isArray(value) ? (value as unknown[]) : []
    let out = ''
    for (const item of items) out += element('member', content(shape.list, item))
    return out
  }
  return structure(shape.structure, value as Readonly<Record<string, unknown>>)
}

function structure(shape: StructureShape, value: Readonly<Record<string, unknown>>): string {
  let out = ''
  for (const [name, member] of shape) {
    const v = value[name]
    if (v === undefined || v === null) continue
    out += element(name, content(member, v))
  }
  return out
}

/** `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>` */
export function successXml(
  service: ServiceName,
  action: string,
  result:
    | { readonly shape: StructureShape; readonly value: Readonly<Record<string, unknown>> }
    | undefined,
  requestId: string,
): string {
  const body =
    (result === undefined
      ? ''
      : element(action + 'Result', structure(result.shape, result.value))) +
    element('ResponseMetadata', element('RequestId', text(requestId)))
  return (
    '<' +
    action +
    'Response xmlns="' +
    namespaces[service] +
    '">' +
    body +
    '</' +
    action +
    'Response>'
  )
}

/** `<ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function errorXml(
  service: ServiceName,
  error: { readonly fault: string; readonly code: string; readonly message: string },
  requestId: string,
): string {
  const inner =
    element('Type', text(error.fault)) +
    element('Code', text(error.code)) +
    element('Message', text(error.message))
  return (
    '<ErrorResponse xmlns="' +
    namespaces[service] +
    '">' +
    element('Error', inner) +
    element('RequestId', text(requestId)) +
    '</ErrorResponse>'
  )
}
