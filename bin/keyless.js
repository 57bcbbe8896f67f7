#!/usr/bin/env node
// Entry shim: runs the compiled CLI, building it first when dist/ is missing (a fresh clone
// where `npm ci` skipped the prepare step), so `npm start` always works.
//
// CommonJS (bin/package.json) on purpose: Node starts its libuv threadpool while it loads an ES
// module entry, before any of its code runs, and reads UV_THREADPOOL_SIZE only then. Here the
// pool has not started yet, so `keyless emulator`, which checks token signatures on the pool
// (src/emulator/oidc/signature-checks.ts), can size it first: one thread fewer than the cores
// (at least one), unless UV_THREADPOOL_SIZE is set. More threads than that crowd the event loop
// off its core (BENCHMARKS.md "Where the time goes").
'use strict'
const { existsSync } = require('node:fs')
const { spawnSync } = require('node:child_process')
const { availableParallelism } = require('node:os')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')

// The AWS SDK warns on every client built under Node 20 (newer SDK releases need Node 22; ours
// are pinned). The warning is noise on every CLI command's stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
if (process.argv[2] === 'emulator')
  process.env.UV_THREADPOOL_SIZE ??= String(Math.max(1, availableParallelism() - 1))

const root = join(__dirname, '..')
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
import(pathToFileURL(entry).href)
  .then(({ main }) => main(process.argv))
  .catch((error) => {
    process.stderr.write(`keyless: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
