/**
 * Every relative link of the README and docs/*.md points at a file of this repository, and every
 * `#anchor` at a heading of the file it names (GitHub's heading slugs), so the docs cannot rot
 * silently when a page or a section is renamed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/cli.js'

const pages = [
  join(REPO_ROOT, 'README.md'),
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(REPO_ROOT, 'docs', f)),
]

/** GitHub's slug of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/gu, '-')
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  let fenced = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const m = fenced ? null : /^#{1,6}\s+(.*)$/u.exec(line)
    if (m === null) continue
    const base = slug(m[1] ?? '')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** `[text](target)` links outside code spans and fences, relative ones only. */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/gu, '')
    .replace(/`[^`\n]*`/gu, '')
  return [...text.matchAll(/\]\(([^)\s]+)\)/gu)]
    .map((m) => m[1] ?? '')
    .filter((t) => !/^[a-z]+:/iu.test(t))
}

describe('documentation links', () => {
  it.each(pages.map((p) => [relative(REPO_ROOT, p), p] as const))('%s', (_, page) => {
    const broken: string[] = []
    for (const link of linksOf(page)) {
      const [path = '', anchor] = link.split('#')
      const target = path === '' ? page : join(dirname(page), path)
      if (!existsSync(target)) broken.push(`${link}: no such file`)
      else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor))
        broken.push(`${link}: no heading #${anchor} in ${relative(REPO_ROOT, target)}`)
    }
    expect(broken).toEqual([])
  })
})
