/**
 * The npm package: `npm pack` ships bin/, dist/ (with the web console) and docs/, and no tests,
 * sources or secrets; unpacked into a clean prefix, its `keyless up --demo` runs a deployment end
 * to end from a directory outside the repository.
 *
 * Offline, the registry cannot be asked for the dependencies: `npm install -g <tgz> --offline`
 * fails with ENOTCACHED (npm ci caches tarballs by integrity, not the packuments a tarball
 * install resolves ranges with), and better-sqlite3 would need its prebuilt binary downloaded.
 * The install here is therefore what npm does minus the download: the tarball is unpacked into
 * `<prefix>/lib/node_modules/keyless`, its dependencies are the repository's installed ones
 * (the same lockfile versions, native addon built), and `<prefix>/bin/keyless` links the bin.
 * Needs a build (`npm ci` runs it through `prepare`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/cli.js'
import { freePort } from '../e2e/support/stack.js'

const dir = mkdtempSync(join(tmpdir(), 'keyless-pack-'))
let up: ChildProcess | undefined

afterAll(() => {
  up?.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

function npm(...args: string[]): string {
  const run = spawnSync('npm', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 })
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${run.stderr}`)
  return run.stdout
}

const ALLOWED = /^(bin\/|dist\/|docs\/|package\.json$|README\.md$|LICENSE)/u
const FORBIDDEN = /(^|\/)(test|src|\.keyless)\/|\.test\.|master\.key|admin\.key|\.env$|\.pem$/u

describe('the npm package', () => {
  it('holds the built CLI and console, and no tests, sources or secrets', () => {
    for (const built of ['dist/bin/keyless.js', 'dist/web/index.html'])
      expect(existsSync(join(REPO_ROOT, built)), `${built} (run npm run build)`).toBe(true)
    const [pack] = JSON.parse(
      npm('pack', '--ignore-scripts', '--json', '--pack-destination', dir),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>
    const paths = (pack?.files ?? []).map((f) => f.path)
    expect(paths).toEqual(expect.arrayContaining(['bin/keyless.js', 'dist/bin/keyless.js']))
    expect(paths.some((p) => p.startsWith('dist/web/assets/'))).toBe(true)
    expect(paths.filter((p) => !ALLOWED.test(p))).toEqual([])
    expect(paths.filter((p) => FORBIDDEN.test(p))).toEqual([])
    expect(existsSync(join(dir, pack?.filename ?? ''))).toBe(true)
  }, 60_000)

  it('runs keyless up --demo from a clean prefix', async () => {
    const tgz = join(dir, 'keyless-0.1.0.tgz')
    const prefix = join(dir, 'prefix')
    const pkg = join(prefix, 'lib', 'node_modules', 'keyless')
    mkdirSync(pkg, { recursive: true })
    mkdirSync(join(prefix, 'bin'))
    expect(spawnSync('tar', ['xzf', tgz, '-C', pkg, '--strip-components=1']).status).toBe(0)
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'))
    // As npm links a bin: executable, on PATH.
    chmodSync(join(pkg, 'bin', 'keyless.js'), 0o755)
    symlinkSync(join(pkg, 'bin', 'keyless.js'), join(prefix, 'bin', 'keyless'))

    const [port, emulatorPort] = [await freePort(), await freePort()]
    const work = join(dir, 'elsewhere')
    mkdirSync(work)
    up = spawn(
      join(prefix, 'bin', 'keyless'),
      [
        'up',
        '--demo',
        '--port',
        String(port),
        '--emulator-port',
        String(emulatorPort),
        '--emulator-azure-port',
        '0',
        '--emulator-gcp-port',
        '0',
      ],
      {
        cwd: work,
        env: { PATH: `${prefix}/bin:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: work },
      },
    )
    let out = ''
    up.stdout?.on('data', (c: Buffer) => (out += c.toString()))
    up.stderr?.on('data', (c: Buffer) => (out += c.toString()))
    const deadline = Date.now() + 50_000
    while (!out.includes('serving until Ctrl-C')) {
      if (up.exitCode !== null) throw new Error(`keyless up exited:\n${out}`)
      if (Date.now() > deadline) throw new Error(`keyless up did not finish:\n${out}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(out).toMatch(/deployment dep_\S+ succeeded/u)
    // The shipped step scripts (dist/runner/*-whoami.js) sign in to all three clouds.
    expect(out).toMatch(/caller identity: arn:aws:sts::/u)
    expect(out).toMatch(/azure app id: +[0-9a-f-]{36}/u)
    expect(out).toMatch(/gcp acting as: +keyless-demo@/u)
    expect(existsSync(join(work, '.keyless', 'keyless.db'))).toBe(true)
  }, 60_000)
})
