import { describe, expect, it } from 'vitest'
import { cliInvocation } from './invocation.js'

const cases: ReadonlyArray<[string, string | undefined, string, string]> = [
  ['in the package folder', '/src/keyless/bin/keyless.js', '/src/keyless', 'npx keyless'],
  ['below it', '/src/keyless/bin/keyless.js', '/src/keyless/docs', 'npx keyless'],
  [
    'elsewhere: the script itself',
    '/src/keyless/bin/keyless.js',
    '/tmp/newuser',
    'node /src/keyless/bin/keyless.js',
  ],
  [
    'a sibling folder with the same prefix',
    '/src/keyless/bin/keyless.js',
    '/src/keyless-old',
    'node /src/keyless/bin/keyless.js',
  ],
  [
    'installed globally (the bin link resolved)',
    '/usr/lib/node_modules/keyless/bin/keyless.js',
    '/tmp/newuser',
    'node /usr/lib/node_modules/keyless/bin/keyless.js',
  ],
  ['another entry (tests)', '/src/keyless/test/support/from-source.ts', '/tmp', 'npx keyless'],
  ['no script', undefined, '/tmp', 'npx keyless'],
]

describe('cliInvocation (the try-next lines of keyless up)', () => {
  it.each(cases)('%s', (_name, script, cwd, expected) => {
    expect(cliInvocation(script, cwd)).toBe(expected)
  })
})
