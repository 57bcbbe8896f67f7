/**
 * XML out, from typed shapes (practice 5). An action declares the shape of its result; the
 * serializer walks shape and value together, so member order follows the AWS model and every
 * text is escaped by fast-xml-parser's builder. This is the only module that knows XML.
 */
import { XMLBuilder } from 'fast-xml-parser'

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

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: false,
})

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/F) become U+FFFD. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Escapes `&`, `<`, `>` (quotes stay as they are, as AWS writes them) and drops non-XML characters. */
function text(value: string): string {
  return value
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
}

/** ISO-8601 UTC with seconds precision and `Z`, as AWS writes timestamps. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/u, 'Z')
}

function convert(shape: OutputShape, value: unknown): unknown {
  if (shape === 'string') return text(String(value))
  if (shape === 'integer') return String(Math.trunc(Number(value)))
  if (shape === 'boolean') return value === true ? 'true' : 'false'
  if (shape === 'timestamp')
    return isoSeconds(value instanceof Date ? value : new Date(String(value)))
  if ('list' in shape) {
    const items = Array.isArray(value) ? (value as unknown[]) : []
    return items.length === 0 ? {} : { member: items.map((v) => convert(shape.list, v)) }
  }
  return convertStructure(shape.structure, value as Readonly<Record<string, unknown>>)
}

function convertStructure(
  shape: StructureShape,
  value: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, member] of shape) {
    const v = value[name]
    if (v === undefined || v === null) continue
    out[name] = convert(member, v)
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
  const body: Record<string, unknown> = { '@_xmlns': namespaces[service] }
  if (result !== undefined) body[`${action}Result`] = convertStructure(result.shape, result.value)
  body['ResponseMetadata'] = { RequestId: requestId }
  return String(builder.build({ [`${action}Response`]: body }))
}

/** `<ErrorResponse xmlns><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function errorXml(
  service: ServiceName,
  error: { readonly fault: string; readonly code: string; readonly message: string },
  requestId: string,
): string {
  return String(
    builder.build({
      ErrorResponse: {
        '@_xmlns': namespaces[service],
        Error: { Type: error.fault, Code: error.code, Message: text(error.message) },
        RequestId: requestId,
      },
    }),
  )
}
