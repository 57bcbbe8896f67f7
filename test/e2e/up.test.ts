/**
 * `keyless up --demo` (what `npm start` runs), from source, on random ports: the whole stack comes
 * up, the demo deployment gets AWS credentials through OIDC from the emulator and its step's
 * GetCallerIdentity shows the assumed role, then signs in to Azure (@azure/identity) and GCP
 * (google-auth-library) through the Entra and Google emulators; a second start reuses the data
 * directory and what the first one set up.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort, startProcess, type Proc } from './support/stack.js'

const dir = mkdtempSync(join(tmpdir(), 'keyless-up-'))
const procs: Proc[] = []
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()))
  rmSync(dir, { recursive: true, force: true })
})

async function up(): Promise<{ proc: Proc; out: string }> {
  const [port, emulatorPort] = [await freePort(), await freePort()]
  const proc = startProcess([
    'up',
    '--demo',
    '--data-dir',
    dir,
    '--port',
    String(port),
    '--emulator-port',
    String(emulatorPort),
    '--emulator-azure-port',
    '0',
    '--emulator-gcp-port',
    '0',
  ])
  procs.push(proc)
  const deadline = Date.now() + 90_000
  while (!proc.output().includes('serving until Ctrl-C')) {
    if (proc.child.exitCode !== null) throw new Error(`keyless up exited:\n${proc.output()}`)
    if (Date.now() > deadline) throw new Error(`keyless up did not finish:\n${proc.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { proc, out: proc.output() }
}

describe('keyless up --demo', () => {
  it('runs a deployment that gets credentials through OIDC, and reuses its data directory', async () => {
    const first = await up()
    expect(first.out).toMatch(/deployment dep_\S+ succeeded/u)
    expect(first.out).toMatch(
      /caller identity: arn:aws:sts::123456789012:assumed-role\/keyless-demo\/dep_/u,
    )
    expect(first.out).toMatch(/token subject: +org:org_\S+:project:prj_\S+:environment:env_/u)
    // The same deployment signs in to Azure and GCP through their SDKs, set up as
    // `keyless setup azure --apply` and `keyless setup gcp --apply` would.
    const app = /Entra app (\S+) with a federated credential/u.exec(first.out)?.[1]
    expect(app, first.out).toBeDefined()
    expect(first.out).toContain(`azure app id:    ${app ?? ''}`)
    // Each cloud's summary, then what its setup created, before the next cloud's.
    expect(first.out).toMatch(
      /Entra app \S+ with [^\n]*\n {4}application \S+: created [^\n]*\n {2}Google pool/u,
    )
    expect(first.out).toMatch(
      /gcp acting as: +keyless-demo@keyless-demo\.iam\.gserviceaccount\.com/u,
    )
    expect(first.out).toMatch(
      /created provider projects\/\d+\/locations\/global\/workloadIdentityPools\/keyless-demo\/providers\/keyless/u,
    )
    expect(first.out).not.toMatch(/MaxListenersExceededWarning|eyJ[A-Za-z0-9_-]{10,}\./u)
    expect(first.out).toMatch(/owner API key \(shown once/u)
    const google = /Google: +(http:\/\/127\.0\.0\.1:\d+) /u.exec(first.out)?.[1]
    expect(google, first.out).toBeDefined()
    expect(await (await fetch(`${google ?? ''}/_keyless/health`)).json()).toEqual({ ok: true })
    const org = /demo: organization (org_\S+),/u.exec(first.out)?.[1]
    await first.proc.kill()

    const second = await up()
    expect(second.out).toMatch(/deployment dep_\S+ succeeded/u)
    expect(second.out).toContain(`demo: organization ${org},`)
    expect(second.out).not.toMatch(/shown once/u)
    // A second start keeps what the first set up: the same app, no new provider.
    expect(second.out).toContain(`Entra app ${app ?? ''} with`)
    expect(second.out).toMatch(/kept provider projects\//u)
    expect(second.out).toContain(`azure app id:    ${app ?? ''}`)
  }, 180_000)
})
