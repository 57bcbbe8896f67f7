/**
 * Masking of secret values in deployment output. Every value registered here (AWS keys, session
 * tokens, OIDC tokens, sensitive variables, the credential endpoint's authorization token) is
 * replaced by `***` before a line leaves the runner, and so is any run of `FRAGMENT_LENGTH` or more
 * characters of a secret (a step printing `… | head -c 400` of a credential answer shows a cut
 * session token, never the whole one).
 *
 * Output arrives in chunks that may cut a secret in two, so a `StreamMasker` holds back the
 * shortest tail that could still be the start of a secret until the next chunk decides it.
 */

export const MASK = '***'

/** Values shorter than this are not masked: masking `a` or `1` would shred every line. */
const MIN_SECRET_LENGTH = 4

/** A run of this many characters of a secret is masked even when the whole secret is not there. */
export const FRAGMENT_LENGTH = 24

/** The set of secrets of one deployment. Secrets can be added while it runs (refresh mode). */
export class SecretSet {
  #values: string[] = []
  #longest = 0
  /** Every FRAGMENT_LENGTH-character window of every secret that long. */
  readonly #windows = new Set<string>()

  add(value: string | null | undefined): void {
    if (value === null || value === undefined) return
    for (const form of variants(value)) {
      if (form.length < MIN_SECRET_LENGTH || this.#values.includes(form)) continue
      this.#values.push(form)
      // Longest first, so a secret that contains another is masked whole.
      this.#values.sort((a, b) => b.length - a.length)
      this.#longest = Math.max(this.#longest, form.length)
      for (let i = 0; i + FRAGMENT_LENGTH <= form.length; i++)
        this.#windows.add(form.slice(i, i + FRAGMENT_LENGTH))
    }
  }

  get size(): number {
    return this.#values.length
  }

  /** Length of the longest secret (0 when none). */
  get longest(): number {
    return this.#longest
  }

  /** Replaces every complete occurrence of a secret, then every run of a secret's characters. */
  mask(text: string): string {
    let out = text
    for (const value of this.#values) {
      if (out.includes(value)) out = out.split(value).join(MASK)
    }
    return this.#maskFragments(out)
  }

  /** Replaces each maximal stretch covered by secret windows (runs of ≥ FRAGMENT_LENGTH). */
  #maskFragments(text: string): string {
    if (this.#windows.size === 0 || text.length < FRAGMENT_LENGTH) return text
    let out = ''
    let shownUpTo = 0
    let coveredUpTo = -1
    for (let i = 0; i + FRAGMENT_LENGTH <= text.length; i++) {
      if (!this.#windows.has(text.slice(i, i + FRAGMENT_LENGTH))) continue
      if (i > coveredUpTo) {
        if (coveredUpTo >= 0) out += MASK
        out += text.slice(shownUpTo, i)
      }
      coveredUpTo = i + FRAGMENT_LENGTH
      shownUpTo = coveredUpTo
    }
    if (coveredUpTo < 0) return text
    return `${out}${MASK}${text.slice(shownUpTo)}`
  }

  /**
   * Length of the longest suffix of `text` that is a piece of some secret: it may be the start
   * of that secret, or of a run that is still growing, so it is held back until the next chunk.
   */
  heldTail(text: string): number {
    let held = 0
    for (const value of this.#values) {
      // A suffix that is a piece of `value` stays one when shortened: binary search the longest.
      let lo = held
      let hi = Math.min(text.length, value.length)
      while (lo < hi) {
        const n = Math.ceil((lo + hi) / 2)
        if (value.includes(text.slice(text.length - n))) lo = n
        else hi = n - 1
      }
      held = lo
    }
    return held
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

  /**
   * The masked unfinished line, minus a tail that is a piece of a secret (the start of one, or a
   * run that may still grow); null if nothing can be shown yet.
   */
  flushPartial(): string | null {
    if (this.#pending === '') return null
    const hold = this.#secrets.heldTail(this.#pending)
    const shown = this.#pending.slice(0, this.#pending.length - hold)
    this.#pending = this.#pending.slice(this.#pending.length - hold)
    return shown === '' ? null : this.#secrets.mask(shown)
  }

  /** Everything left, masked; null when nothing is left. */
  end(): string | null {
    if (this.#pending === '') return null
    const rest = this.#secrets.mask(this.#pending.replace(/\r$/u, ''))
    this.#pending = ''
    return rest
  }
}
