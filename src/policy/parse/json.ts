/**
 * A small JSON parser that keeps what `JSON.parse` throws away: the position of every value and
 * every object key that appears more than once (JSON.parse silently keeps the last one, which has
 * dropped real users' `sub` checks). Written by hand because no maintained library gives both
 * positions and duplicate keys without building its own AST we would then have to walk anyway.
 *
 * It never throws: every failure is returned as data, and size and depth are checked before work
 * grows with them (the depth check is done while descending, so a deeply nested text stops early).
 */
import type { DuplicateKey, Position } from '../types.js'

export type JsonNode =
  | {
      readonly type: 'object'
      readonly members: readonly JsonMember[]
      readonly position: Position
    }
  | { readonly type: 'array'; readonly items: readonly JsonNode[]; readonly position: Position }
  | { readonly type: 'string'; readonly value: string; readonly position: Position }
  | {
      readonly type: 'number'
      readonly value: number
      readonly raw: string
      readonly position: Position
    }
  | { readonly type: 'boolean'; readonly value: boolean; readonly position: Position }
  | { readonly type: 'null'; readonly position: Position }

export interface JsonMember {
  readonly key: string
  readonly keyPosition: Position
  readonly value: JsonNode
}

export type JsonParseResult =
  | { readonly ok: true; readonly root: JsonNode; readonly duplicateKeys: readonly DuplicateKey[] }
  | {
      readonly ok: false
      readonly code: 'InvalidJson' | 'TooDeep'
      readonly message: string
      readonly position: Position
    }

/** Internal: unwinds the recursive descent; always caught in `parseJson`. */
class Failure extends Error {
  readonly code: 'InvalidJson' | 'TooDeep'
  readonly offset: number
  constructor(code: 'InvalidJson' | 'TooDeep', message: string, offset: number) {
    super(message)
    this.code = code
    this.offset = offset
  }
}

/** Parses `text` as one JSON value (RFC 8259), with positions and duplicate keys. */
export function parseJson(text: string, maxDepth: number): JsonParseResult {
  const parser = new Parser(text, maxDepth)
  try {
    parser.skipWhitespace()
    const root = parser.value(0, '')
    parser.skipWhitespace()
    if (parser.offset < text.length) parser.fail('unexpected text after the JSON value')
    return { ok: true, root, duplicateKeys: parser.duplicates }
  } catch (error) {
    if (error instanceof Failure) {
      return {
        ok: false,
        code: error.code,
        message: error.message,
        position: positionAt(text, error.offset),
      }
    }
    /* c8 ignore next */
    throw error
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

class Parser {
  offset = 0
  readonly duplicates: DuplicateKey[] = []
  private line = 1
  private lineStart = 0

  private readonly text: string
  private readonly maxDepth: number

  constructor(text: string, maxDepth: number) {
    this.text = text
    this.maxDepth = maxDepth
  }

  fail(message: string, code: 'InvalidJson' | 'TooDeep' = 'InvalidJson'): never {
    throw new Failure(code, message, this.offset)
  }

  private here(): Position {
    return { line: this.line, column: this.offset - this.lineStart + 1 }
  }

  skipWhitespace(): void {
    const t = this.text
    while (this.offset < t.length) {
      const c = t.charCodeAt(this.offset)
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.offset++
      else if (c === 0x0a) {
        this.offset++
        this.line++
        this.lineStart = this.offset
      } else break
    }
  }

  value(depth: number, path: string): JsonNode {
    const t = this.text
    if (this.offset >= t.length) this.fail('unexpected end of text')
    const c = t.charCodeAt(this.offset)
    const position = this.here()
    if (c === 0x7b) return this.object(depth + 1, path, position)
    if (c === 0x5b) return this.array(depth + 1, path, position)
    if (c === 0x22) return { type: 'string', value: this.string(), position }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(position)
    if (t.startsWith('true', this.offset)) {
      this.offset += 4
      return { type: 'boolean', value: true, position }
    }
    if (t.startsWith('false', this.offset)) {
      this.offset += 5
      return { type: 'boolean', value: false, position }
    }
    if (t.startsWith('null', this.offset)) {
      this.offset += 4
      return { type: 'null', position }
    }
    return this.fail(`unexpected character ${JSON.stringify(t[this.offset])}`)
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) this.fail(`nested deeper than ${this.maxDepth} levels`, 'TooDeep')
    this.offset++
    this.skipWhitespace()
  }

  private object(depth: number, path: string, position: Position): JsonNode {
    this.enter(depth)
    const members: JsonMember[] = []
    const seen = new Set<string>()
    if (this.text.charCodeAt(this.offset) === 0x7d) {
      this.offset++
      return { type: 'object', members, position }
    }
    for (;;) {
      if (this.text.charCodeAt(this.offset) !== 0x22) this.fail('expected a string key')
      const keyPosition = this.here()
      const key = this.string()
      this.skipWhitespace()
      if (this.text.charCodeAt(this.offset) !== 0x3a) this.fail("expected ':' after the key")
      this.offset++
      this.skipWhitespace()
      const value = this.value(depth, path === '' ? key : `${path}.${key}`)
      if (seen.has(key)) this.duplicates.push({ path, key, ...keyPosition })
      seen.add(key)
      members.push({ key, keyPosition, value })
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.offset)
      if (c === 0x2c) {
        this.offset++
        this.skipWhitespace()
      } else if (c === 0x7d) {
        this.offset++
        return { type: 'object', members, position }
      } else this.fail("expected ',' or '}'")
    }
  }

  private array(depth: number, path: string, position: Position): JsonNode {
    this.enter(depth)
    const items: JsonNode[] = []
    if (this.text.charCodeAt(this.offset) === 0x5d) {
      this.offset++
      return { type: 'array', items, position }
    }
    for (;;) {
      items.push(this.value(depth, `${path}[${items.length}]`))
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.offset)
      if (c === 0x2c) {
        this.offset++
        this.skipWhitespace()
      } else if (c === 0x5d) {
        this.offset++
        return { type: 'array', items, position }
      } else this.fail("expected ',' or ']'")
    }
  }

  private string(): string {
    const t = this.text
    this.offset++ // opening quote
    let out = ''
    let start = this.offset
    for (;;) {
      if (this.offset >= t.length) this.fail('unterminated string')
      const c = t.charCodeAt(this.offset)
      if (c === 0x22) {
        out += t.slice(start, this.offset)
        this.offset++
        return out
      }
      if (c < 0x20) this.fail('control character in a string')
      if (c !== 0x5c) {
        this.offset++
        continue
      }
      out += t.slice(start, this.offset)
      const e = t[this.offset + 1]
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e
          break
        case 'b':
          out += '\b'
          break
        case 'f':
          out += '\f'
          break
        case 'n':
          out += '\n'
          break
        case 'r':
          out += '\r'
          break
        case 't':
          out += '\t'
          break
        case 'u': {
          const hex = t.slice(this.offset + 2, this.offset + 6)
          if (!/^[0-9a-fA-F]{4}$/u.test(hex)) this.fail('invalid \\u escape')
          out += String.fromCharCode(parseInt(hex, 16))
          this.offset += 4
          break
        }
        default:
          this.fail('invalid escape in a string')
      }
      this.offset += 2
      start = this.offset
    }
  }

  private number(position: Position): JsonNode {
    const m = NUMBER.exec(this.text.slice(this.offset, this.offset + 400))
    if (m === null) return this.fail('invalid number')
    const raw = m[0]
    this.offset += raw.length
    return { type: 'number', value: Number(raw), raw, position }
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/u
