// Build: compile src/ to dist/ with tsc, then the web console (web/) with Vite into dist/web.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function run(label, args) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root })
  if (result.status !== 0) {
    process.stderr.write(`build: ${label} failed\n`)
    process.exit(result.status ?? 1)
  }
}

rmSync(join(root, 'dist'), { recursive: true, force: true })
run('tsc', [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'])
if (existsSync(join(root, 'web', 'vite.config.ts'))) {
  run('vite build', [
    join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), // vite's exports hide bin/
    'build',
    '--config',
    'web/vite.config.ts',
    '--logLevel',
    'warn',
  ])
}
