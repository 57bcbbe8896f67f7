/**
 * Masking of secret values in deployment output. Every value registered here (AWS keys, session
 * tokens, OIDC tokens, sensitive variables, the credential endpoint's authorization token) is
 * replaced by `***` before a line leaves the runner.
 *
 * Output arrives in chunks that may cut a secret in two, so a `StreamMasker` holds back the
 * shortest tail that could still be the start of a secret until the next chunk decides it.
 */

export const MASK = '***'

/** Values shorter than this are not masked: masking `a` or `1` would shred every line. */
const MIN_SECRET_LENGTH = 4

/** The set of secrets of one deployment. Secrets can be added while it runs (refresh mode). */
export class SecretSet {
  #values: string[] = []
  #longest = 0

  add(value: string | null | undefined): void {
    if (value === null || value === undefined) return
    for (const form of variants(value)) {
      if (form.length < MIN_SECRET_LENGTH || this.#values.includes(form)) continue
      this.#values.push(form)
      // Longest first, so a secret that contains another is masked whole.
      this.#values.sort((a, b) => b.length - a.length)
      this.#longest = Math.max(this.#longest, form.length)
    }
  }

  get size(): number {
    return this.#values.length
  }

  /** Length of the longest secret (0 when none). */
  get longest(): number {
    return this.#longest
  }

  /** Replaces every complete occurrence of a secret. */
  mask(text: string): string {
    let out = text
    for (const value of this.#values) {
      if (out.includes(value)) out = out.split(value).join(MASK)
    }
    return out
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some secret. */
  heldTail(text: string): number {
    const max = Math.min(text.length, this.#longest - 1)
    for (let n = max; n > 0; n--) {
      const suffix = text.slice(text.length - n)
      for (const value of this.#values) {
        if (value.length > n && value.startsWith(suffix)) return n
      }
    }
    return 0
  }
}

/** The forms a secret may be printed in: as is, and JSON- or URL-escaped when that differs. */
function variants(value: string): string[] {
  const out = [value]
  const json = JSON.stringify(value).slice(1, -1)
  if (json !== value) out.push(json)
  const url = encodeURIComponent(value)
  if (url !== value) out.push(url)
  return out
}

/**
 * Turns one output stream (stdout or stderr of a step) into masked lines. `push` returns the
 * complete lines; `flushPartial` returns what can safely be shown of an unfinished line (used so
 * that a progress line without a newline still reaches the log); `end` returns the rest.
 */
export class StreamMasker {
  readonly #secrets: SecretSet
  readonly #maxLine: number
  #pending = ''

  constructor(secrets: SecretSet, maxLine = 16 * 1024) {
    this.#secrets = secrets
    this.#maxLine = maxLine
  }

  push(chunk: string): string[] {
    this.#pending += chunk
    const lines: string[] = []
    let newline = this.#pending.indexOf('\n')
    while (newline >= 0) {
      const line = this.#pending.slice(0, newline).replace(/\r$/u, '')
      lines.push(this.#secrets.mask(line))
      this.#pending = this.#pending.slice(newline + 1)
      newline = this.#pending.indexOf('\n')
    }
    if (this.#pending.length > this.#maxLine) {
      const partial = this.flushPartial()
      if (partial !== null) lines.push(partial)
    }
    return lines
  }

  /** The masked unfinished line, minus a tail that may be the start of a secret; null if none. */
  flushPartial(): string | null {
    if (this.#pending === '') return null
    // Mask complete occurrences first: a held tail is then only ever a secret's beginning.
    const masked = this.#secrets.mask(this.#pending)
    const hold = this.#secrets.heldTail(masked)
    const shown = masked.slice(0, masked.length - hold)
    this.#pending = masked.slice(masked.length - hold)
    return shown === '' ? null : shown
  }

  /** Everything left, masked; null when nothing is left. */
  end(): string | null {
    if (this.#pending === '') return null
    const rest = this.#secrets.mask(this.#pending.replace(/\r$/u, ''))
    this.#pending = ''
    return rest
  }
}
