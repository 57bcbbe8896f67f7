/**
 * Duplicate member names in JSON text, at any depth. `JSON.parse` keeps the last of two members
 * with one name, so `{"sub":"x","sub":"y"}` would be judged on `y` although a signer may have
 * meant `x`; no honest issuer writes such a token, and the emulator refuses it (the decoder in
 * jwt.ts). Pure; expects text `JSON.parse` has accepted, so the grammar is not re-checked.
 */

/** The end (exclusive) of the JSON string that opens at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === 0x5c) i += 1
    else if (c === 0x22) return i + 1
  }
  return text.length
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}

/**
 * The first member name that occurs twice in one object (compared after unescaping, as
 * `JSON.parse` compares them: `"sub"` and `"\u0073ub"` are one name), or undefined.
 */
export function findDuplicateMember(text: string): string | undefined {
  // One set of names per open container; arrays get null (their strings are values).
  const stack: Array<Set<string> | null> = []
  // Whether the next string in the innermost object is a member name.
  let expectName = false
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      const end = stringEnd(text, i)
      const names = stack[stack.length - 1]
      if (expectName && names !== undefined && names !== null) {
        const raw = text.slice(i + 1, end - 1)
        // Only a name with escapes differs from its text between the quotes.
        const parsed: unknown = raw.includes('\\') ? JSON.parse(text.slice(i, end)) : raw
        const name = typeof parsed === 'string' ? parsed : text.slice(i, end)
        if (names.has(name)) return name
        names.add(name)
        expectName = false
      }
      i = end - 1
    } else if (c === 0x7b) {
      stack.push(new Set())
      expectName = true
    } else if (c === 0x5b) {
      stack.push(null)
      expectName = false
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop()
      expectName = false
    } else if (c === 0x2c) expectName = stack[stack.length - 1] instanceof Set
    else if (!isSpace(c)) expectName = false
  }
  return undefined
}
