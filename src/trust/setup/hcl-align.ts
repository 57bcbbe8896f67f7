/**
 * `terraform fmt`'s alignment of `=`: consecutive lines that each assign a whole one-line value
 * form a group, and their `=` signs line up one space after the longest key. A line that opens a
 * multi-line value (`x = {`), a closing bracket, a blank line or a comment ends the group — the
 * rule of hclwrite's formatter, so generated Terraform is `terraform fmt` clean.
 */

/** Index of the line's first `=` outside strings, when its value opens no bracket it does not close. */
function assignAt(line: string): number | undefined {
  let inString = false
  let equals: number | undefined
  let net = 0
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '#') break
    else if (ch === '=' && equals === undefined && i > 0 && line[i + 1] !== '=') equals = i
    else if (equals !== undefined && '{[('.includes(ch ?? '')) net++
    else if (equals !== undefined && '}])'.includes(ch ?? '')) net--
  }
  return equals !== undefined && net === 0 ? equals : undefined
}

/** Aligns the `=` of each group of one-line assignments, as `terraform fmt` does. */
export function alignAssignments(text: string): string {
  const lines = text.split('\n')
  const keys = lines.map((line) => {
    const at = assignAt(line)
    return at === undefined ? undefined : line.slice(0, at).trimEnd()
  })
  let start = 0
  while (start < lines.length) {
    if (keys[start] === undefined) {
      start++
      continue
    }
    let end = start
    while (end < lines.length && keys[end] !== undefined) end++
    const width = Math.max(...keys.slice(start, end).map((k) => (k ?? '').length))
    for (let i = start; i < end; i++) {
      const key = keys[i] ?? ''
      const value = (lines[i] ?? '').slice(assignAt(lines[i] ?? '') ?? 0)
      lines[i] = `${key.padEnd(width)} ${value}`
    }
    start = end
  }
  return lines.join('\n')
}
