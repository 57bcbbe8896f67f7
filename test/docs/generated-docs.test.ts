import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderConfigurationDocs, renderErrorDocs } from '../../src/shared/config/render-docs.js'
import { REPO_ROOT } from '../support/cli.js'

describe('generated documentation is up to date (run `npm run docs` when this fails)', () => {
  it.each([
    ['docs/configuration.md', renderConfigurationDocs],
    ['docs/errors.md', renderErrorDocs],
  ])('%s', (file, render) => {
    expect(readFileSync(join(REPO_ROOT, file), 'utf8')).toBe(render())
  })

  it('the README links the configuration reference', () => {
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('docs/configuration.md')
  })
})
