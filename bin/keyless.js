#!/usr/bin/env node
// Entry shim: runs the compiled CLI, building it first when dist/ is missing (a fresh clone
// where `npm ci` skipped the prepare step), so `npm start` always works.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

// The AWS SDK warns on every client built under Node 20 (newer SDK releases need Node 22; ours
// are pinned). The warning is noise on every CLI command's stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'dist', 'bin', 'keyless.js')
if (!existsSync(entry)) {
  process.stderr.write('keyless: first run, building (this takes a few seconds)…\n')
  const built = spawnSync(process.execPath, [join(root, 'tools', 'build.mjs')], {
    stdio: 'inherit',
    cwd: root,
  })
  if (built.status !== 0) {
    process.stderr.write('keyless: build failed; run `npm run build` to see why\n')
    process.exit(1)
  }
}
const { main } = await import(entry)
await main(process.argv)
