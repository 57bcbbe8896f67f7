import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MASK, SecretSet, StreamMasker } from './mask.js'

// Made at test time: a fixed key in the source would look like a leaked one.
const KEY = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`
// 40 characters like an AWS secret, always with the characters URL encoding changes (/ and +).
const SECRET = `${randomBytes(27).toString('base64')}/+ab`

function secrets(...values: string[]): SecretSet {
  const set = new SecretSet()
  for (const v of values) set.add(v)
  return set
}

describe('SecretSet', () => {
  it.each([
    ['whole value', `key=${KEY}`, `key=${MASK}`],
    ['twice on a line', `${KEY} ${KEY}`, `${MASK} ${MASK}`],
    ['JSON-escaped form', JSON.stringify({ s: 'a"b\\c-secret' }), `{"s":"${MASK}"}`],
    ['URL-encoded form', `x=${encodeURIComponent(SECRET)}`, `x=${MASK}`],
    ['no secret', 'hello world', 'hello world'],
  ])('masks %s', (_name, input, expected) => {
    expect(secrets(KEY, SECRET, 'a"b\\c-secret').mask(input)).toBe(expected)
  })

  it('masks a secret that contains another one whole', () => {
    expect(secrets('abcd', 'xxabcdxx').mask('[xxabcdxx]')).toBe(`[${MASK}]`)
  })

  it('ignores values too short to mask safely', () => {
    expect(secrets('a', '').mask('a banana')).toBe('a banana')
  })
})

describe('StreamMasker', () => {
  it('masks a secret split across every possible pair of chunks', () => {
    const text = `before ${SECRET} after\n`
    for (let cut = 1; cut < text.length; cut++) {
      const m = new StreamMasker(secrets(SECRET))
      const lines = [...m.push(text.slice(0, cut)), ...m.push(text.slice(cut))]
      expect(lines).toEqual([`before ${MASK} after`])
    }
  })

  it('masks a secret split across one-character chunks, with partial flushes in between', () => {
    const m = new StreamMasker(secrets(KEY, SECRET))
    const out: string[] = []
    for (const ch of `progress ${KEY}…${SECRET} done`) {
      out.push(...m.push(ch))
      const partial = m.flushPartial()
      if (partial !== null) out.push(partial)
    }
    const rest = m.end()
    if (rest !== null) out.push(rest)
    const joined = out.join('')
    expect(joined).toBe(`progress ${MASK}…${MASK} done`)
    expect(joined).not.toContain(KEY.slice(0, 8))
  })

  it('splits lines and drops carriage returns', () => {
    const m = new StreamMasker(secrets(KEY))
    expect(m.push('a\r\nb\n')).toEqual(['a', 'b'])
    expect(m.end()).toBeNull()
  })

  it('cuts a very long line without revealing a secret at the cut', () => {
    const m = new StreamMasker(secrets(SECRET), 32)
    const long = `${'x'.repeat(30)}${SECRET}${'y'.repeat(10)}`
    const lines = m.push(long)
    const rest = m.end()
    const all = [...lines, rest ?? ''].join('')
    expect(all).toBe(`${'x'.repeat(30)}${MASK}${'y'.repeat(10)}`)
  })

  it('masks secrets added after the stream started (refresh mode)', () => {
    const set = secrets(KEY)
    const m = new StreamMasker(set)
    expect(m.push(`${KEY}\n`)).toEqual([MASK])
    set.add('ASIANEWKEYAFTERREFRESH')
    expect(m.push('ASIANEWKEYAFTERREFRESH\n')).toEqual([MASK])
  })
})

describe('runs of a secret', () => {
  // Like an STS session token: long, base64.
  const TOKEN = randomBytes(600).toString('base64')
  const answer = JSON.stringify({ AccessKeyId: KEY, Token: TOKEN, Expiration: 'soon' })

  it.each([
    [
      'a cut answer (`head -c 400`)',
      answer.slice(0, 400),
      answer.slice(0, 400).indexOf(TOKEN.slice(0, 5)),
    ],
    ['the token without its first characters', `x ${TOKEN.slice(40)} y`, 2],
    ['a 24-character piece in the middle', `[${TOKEN.slice(100, 124)}]`, 1],
  ])('hides %s', (_name, text, start) => {
    const masked = secrets(KEY, TOKEN).mask(text)
    expect(masked.indexOf(MASK)).toBeLessThanOrEqual(start)
    for (let i = 0; i + 24 <= masked.length; i++)
      expect(TOKEN).not.toContain(masked.slice(i, i + 24))
  })

  it('keeps a run of 23 characters (too short to tell from ordinary text)', () => {
    const piece = TOKEN.slice(10, 33)
    expect(secrets(TOKEN).mask(`<${piece}>`)).toBe(`<${piece}>`)
  })

  it('masks two separate runs apart and keeps the text between them', () => {
    const text = `${TOKEN.slice(0, 30)} and ${TOKEN.slice(200, 260)}`
    expect(secrets(TOKEN).mask(text)).toBe(`${MASK} and ${MASK}`)
  })

  it('never shows 24 characters of a secret in partial flushes of one-character chunks', () => {
    const m = new StreamMasker(secrets(TOKEN))
    const out: string[] = []
    for (const ch of `progress ${TOKEN.slice(5, 300)} done`) {
      out.push(...m.push(ch))
      const partial = m.flushPartial()
      if (partial !== null) out.push(partial)
    }
    out.push(m.end() ?? '')
    const joined = out.join('')
    expect(joined).toBe(`progress ${MASK} done`)
  })
})
