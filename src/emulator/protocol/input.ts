/**
 * Declared inputs (practice 3): each action lists its members with type and bounds; `readInput`
 * turns the flat Query parameters into a typed object or throws AWS's `ValidationError` with
 * every violation, in AWS's wording:
 * `N validation error(s) detected: Value '<v>' at '<member>' failed to satisfy constraint: <c>`.
 */
import { AwsError } from '../errors.js'

export interface Pattern {
  readonly re: RegExp
  /** The pattern as AWS prints it in the message. */
  readonly text: string
}

export interface StringMember {
  readonly kind: 'string'
  readonly required?: boolean
  readonly min?: number
  readonly max?: number
  readonly pattern?: Pattern
  /** Never echo the value in messages (tokens). */
  readonly sensitive?: boolean
}

export interface IntegerMember {
  readonly kind: 'integer'
  readonly required?: boolean
  readonly min?: number
  readonly max?: number
}

export interface BooleanMember {
  readonly kind: 'boolean'
  readonly required?: boolean
}

/** `Name.member.N` */
export interface StringListMember {
  readonly kind: 'stringList'
  readonly required?: boolean
  readonly max?: number
  readonly item: Omit<StringMember, 'kind' | 'required'>
}

/** `Name.member.N.Field` */
export interface StructListMember {
  readonly kind: 'structList'
  readonly required?: boolean
  readonly max?: number
  readonly fields: Readonly<Record<string, StringMember>>
}

export type InputMember =
  StringMember | IntegerMember | BooleanMember | StringListMember | StructListMember

export type InputSpec = Readonly<Record<string, InputMember>>

type ValueOf<M extends InputMember> = M extends StringMember
  ? string
  : M extends IntegerMember
    ? number
    : M extends BooleanMember
      ? boolean
      : M extends StringListMember
        ? readonly string[]
        : M extends StructListMember
          ? ReadonlyArray<Readonly<Record<keyof M['fields'], string | undefined>>>
          : never

type RequiredKeys<S extends InputSpec> = {
  [K in keyof S]: S[K]['required'] extends true ? K : never
}[keyof S]
type OptionalKeys<S extends InputSpec> = Exclude<keyof S, RequiredKeys<S>>

/** The typed input object a handler receives. */
export type InputOf<S extends InputSpec> = {
  readonly [K in RequiredKeys<S>]: ValueOf<S[K]>
} & { readonly [K in OptionalKeys<S>]?: ValueOf<S[K]> }

/** Helpers to declare members tersely. */
export const m = {
  string: <const O extends Omit<StringMember, 'kind'>>(o: O = {} as O): O & { kind: 'string' } => ({
    kind: 'string',
    ...o,
  }),
  integer: <const O extends Omit<IntegerMember, 'kind'>>(
    o: O = {} as O,
  ): O & { kind: 'integer' } => ({
    kind: 'integer',
    ...o,
  }),
  boolean: <const O extends Omit<BooleanMember, 'kind'>>(
    o: O = {} as O,
  ): O & { kind: 'boolean' } => ({
    kind: 'boolean',
    ...o,
  }),
  stringList: <const O extends Omit<StringListMember, 'kind'>>(
    o: O,
  ): O & { kind: 'stringList' } => ({
    kind: 'stringList',
    ...o,
  }),
  structList: <const O extends Omit<StructListMember, 'kind'>>(
    o: O,
  ): O & { kind: 'structList' } => ({
    kind: 'structList',
    ...o,
  }),
}

/** The lowerCamel member name AWS uses in validation messages. */
function wireName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

const MAX_ECHO = 2048

function show(value: string): string {
  return value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}...` : value
}

function stringProblems(value: string, spec: Omit<StringMember, 'kind'>): string[] {
  const out: string[] = []
  if (spec.max !== undefined && value.length > spec.max)
    out.push(`Member must have length less than or equal to ${spec.max}`)
  if (spec.min !== undefined && value.length < spec.min)
    out.push(`Member must have length greater than or equal to ${spec.min}`)
  if (spec.pattern !== undefined && !spec.pattern.re.test(value))
    out.push(`Member must satisfy regular expression pattern: ${spec.pattern.text}`)
  return out
}

function violation(
  value: string | null,
  at: string,
  constraint: string,
  sensitive = false,
): string {
  if (sensitive) return `Value at '${at}' failed to satisfy constraint: ${constraint}`
  const shown = value === null ? 'null' : `'${show(value)}'`
  return `Value ${shown} at '${at}' failed to satisfy constraint: ${constraint}`
}

/** Collects `Name.member.N[.Field]` entries in index order. */
function listEntries(
  params: ReadonlyMap<string, string>,
  name: string,
): { present: boolean; items: Map<number, Map<string, string>> } {
  const prefix = `${name}.member.`
  const items = new Map<number, Map<string, string>>()
  let present = params.has(name)
  for (const [key, value] of params) {
    if (!key.startsWith(prefix)) continue
    present = true
    const rest = key.slice(prefix.length)
    const dot = rest.indexOf('.')
    const indexText = dot < 0 ? rest : rest.slice(0, dot)
    if (!/^[1-9]\d{0,4}$/u.test(indexText)) continue
    const index = Number(indexText)
    const field = dot < 0 ? '' : rest.slice(dot + 1)
    let item = items.get(index)
    if (item === undefined) items.set(index, (item = new Map<string, string>()))
    item.set(field, value)
  }
  if (items.size < 2) return { present, items }
  return { present, items: new Map([...items].sort((a, b) => a[0] - b[0])) }
}

/** Each spec's members with their wire names, listed once per spec (specs are module constants). */
const membersOf = new WeakMap<InputSpec, ReadonlyArray<readonly [string, InputMember, string]>>()

function members(spec: InputSpec): ReadonlyArray<readonly [string, InputMember, string]> {
  let list = membersOf.get(spec)
  if (list === undefined) {
    list = Object.entries(spec).map(([name, member]) => [name, member, wireName(name)] as const)
    membersOf.set(spec, list)
  }
  return list
}

/** Reads and validates the declared members. Throws ValidationError listing every problem. */
export function readInput<S extends InputSpec>(
  spec: S,
  params: ReadonlyMap<string, string>,
): InputOf<S> {
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [name, member, at] of members(spec)) {
    switch (member.kind) {
      case 'string': {
        const value = params.get(name)
        if (value === undefined) {
          if (member.required === true)
            problems.push(violation(null, at, 'Member must not be null'))
          break
        }
        for (const p of stringProblems(value, member))
          problems.push(violation(value, at, p, member.sensitive))
        out[name] = value
        break
      }
      case 'integer': {
        const raw = params.get(name)
        if (raw === undefined) {
          if (member.required === true)
            problems.push(violation(null, at, 'Member must not be null'))
          break
        }
        if (!/^-?\d{1,15}$/u.test(raw.trim())) {
          problems.push(violation(raw, at, 'Member must be a valid integer'))
          break
        }
        const n = Number(raw.trim())
        if (member.min !== undefined && n < member.min)
          problems.push(
            violation(raw, at, `Member must have value greater than or equal to ${member.min}`),
          )
        if (member.max !== undefined && n > member.max)
          problems.push(
            violation(raw, at, `Member must have value less than or equal to ${member.max}`),
          )
        out[name] = n
        break
      }
      case 'boolean': {
        const raw = params.get(name)
        if (raw === undefined) {
          if (member.required === true)
            problems.push(violation(null, at, 'Member must not be null'))
          break
        }
        const v = raw.trim().toLowerCase()
        if (v !== 'true' && v !== 'false') {
          problems.push(violation(raw, at, 'Member must be a boolean (true or false)'))
          break
        }
        out[name] = v === 'true'
        break
      }
      case 'stringList': {
        const { present, items } = listEntries(params, name)
        if (!present) {
          if (member.required === true)
            problems.push(violation(null, at, 'Member must not be null'))
          break
        }
        const values = [...items.values()].map((i) => i.get('') ?? '')
        const shown = `[${values.join(', ')}]`
        if (member.max !== undefined && values.length > member.max)
          problems.push(
            violation(shown, at, `Member must have length less than or equal to ${member.max}`),
          )
        const itemProblems = new Set<string>()
        for (const v of values) for (const p of stringProblems(v, member.item)) itemProblems.add(p)
        if (itemProblems.size > 0)
          problems.push(
            violation(
              shown,
              at,
              `Member must satisfy constraint: [${[...itemProblems].join(', ')}]`,
              member.item.sensitive,
            ),
          )
        out[name] = values
        break
      }
      case 'structList': {
        const { present, items } = listEntries(params, name)
        if (!present) {
          if (member.required === true)
            problems.push(violation(null, at, 'Member must not be null'))
          break
        }
        if (member.max !== undefined && items.size > member.max)
          problems.push(
            violation(
              `[${items.size} items]`,
              at,
              `Member must have length less than or equal to ${member.max}`,
            ),
          )
        const list: Record<string, string | undefined>[] = []
        let position = 0
        for (const item of items.values()) {
          position += 1
          const record: Record<string, string | undefined> = {}
          for (const [field, fieldSpec] of Object.entries(member.fields)) {
            const value = item.get(field)
            const fieldAt = `${at}.${position}.member.${wireName(field)}`
            if (value === undefined) {
              if (fieldSpec.required === true)
                problems.push(violation(null, fieldAt, 'Member must not be null'))
              continue
            }
            for (const p of stringProblems(value, fieldSpec))
              problems.push(violation(value, fieldAt, p, fieldSpec.sensitive))
            record[field] = value
          }
          list.push(record)
        }
        out[name] = list
        break
      }
    }
  }
  if (problems.length > 0) {
    const n = problems.length
    throw new AwsError(
      'ValidationError',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    )
  }
  return out as InputOf<S>
}
