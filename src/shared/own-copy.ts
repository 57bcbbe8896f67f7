/**
 * V8 keeps a substring of 13 characters or more as a view into the string it was cut from, so a
 * short piece stored for long keeps that whole string alive: a session name parsed out of a form
 * body would hold the body, token included, for the session's lifetime. The copy owns its
 * characters (built from a fresh concatenation, which V8 flattens into a new string).
 */
const VIEW_MIN_LENGTH = 13

export function ownCopy(text: string): string {
  return text.length < VIEW_MIN_LENGTH ? text : (' ' + text).slice(1)
}
