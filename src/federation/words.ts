/** Durations in words: "9 min", "2 h 5 min", "3 d". */
export function durationWords(seconds: number): string {
  const s = Math.abs(Math.round(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.round(s / 60)} min`
  if (s < 86400) {
    const h = Math.floor(s / 3600)
    const m = Math.round((s % 3600) / 60)
    return m === 0 ? `${h} h` : `${h} h ${m} min`
  }
  return `${Math.round(s / 86400)} d`
}

/** "in 9 min" / "9 min ago" / "now". */
export function relativeWords(at: number, now: number): string {
  const d = at - now
  if (d === 0) return 'now'
  return d > 0 ? `in ${durationWords(d)}` : `${durationWords(d)} ago`
}
