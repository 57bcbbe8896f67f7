/**
 * Secrets never reach a log: a server, an emulator and an agent run as real processes at log
 * level debug while the test plants secrets everywhere it can — API keys and agent tokens (valid,
 * revoked and garbage ones presented to the wrong API), a sensitive variable a step prints, the
 * OIDC token and the AWS credentials a step prints, a token exchanged at the emulator and the
 * credentials it answered. Then every process's stdout/stderr and every file the stack wrote
 * (agent work dirs, data dir; not the database or the key files) are scanned for each planted
 * value and for the shapes of keys, tokens and session credentials; a hit fails with file:line
 * (docs/security.md).
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../e2e/support/stack.js'
import {
  createEnv,
  createOrg,
  createRole,
  deploy,
  ensureProvider,
  generatedTrustPolicy,
  waitStatus,
} from '../e2e/support/world.js'

/** Shapes of secrets, whatever their value. */
const SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ['JWT', /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/u],
  ['API key', /\bkl_[A-Za-z0-9_-]{20,}/u],
  ['agent token', /\bkla_[A-Za-z0-9_-]{20,}/u],
  ['AWS session token', /IQoJb3JpZ2luX2Vj[A-Za-z0-9+/=]{20,}/u],
]

/** Files that hold secrets by design (hashed or sealed rows, the key files). */
const NOT_LOGS = /(\.db(-wal|-shm|-journal)?|master\.key|admin\.key)$/u

function filesUnder(dir: string, skip: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (path === skip) continue
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, skip))
    else if (!NOT_LOGS.test(entry)) out.push(path)
  }
  return out
}

/** Every hit of a planted value or a secret's shape, as `where:line: what`. */
function scan(where: string, text: string, planted: ReadonlyMap<string, string>): string[] {
  const hits: string[] = []
  text.split('\n').forEach((line, i) => {
    for (const [what, value] of planted)
      if (value.length >= 8 && line.includes(value)) hits.push(`${where}:${i + 1}: ${what}`)
    for (const [what, shape] of SHAPES)
      if (shape.test(line)) hits.push(`${where}:${i + 1}: something shaped like a ${what}`)
  })
  return hits
}

describe('no secret in any log (real processes, log level debug)', () => {
  let stack: Stack
  const planted = new Map<string, string>()
  let dump = ''
  let deploymentStatus = ''

  beforeAll(async () => {
    stack = await startStack({ logLevel: 'debug' })
    planted.set('owner key', stack.adminKey)
    dump = join(stack.dir, 'planted')
    mkdirSync(dump)
    const org = await createOrg(stack, 'logscan')
    planted.set('agent token', org.agentToken)
    await ensureProvider(stack.emulatorUrl, org.issuer, [org.audience])
    const roleArn = await createRole(stack.emulatorUrl, 'logscan', generatedTrustPolicy(org))
    const sensitive = `planted-sensitive-${Math.random().toString(36).slice(2)}`
    planted.set('sensitive variable', sensitive)
    const step = [
      'echo "secret=$AWS_SECRET_ACCESS_KEY session=$AWS_SESSION_TOKEN token=$KEYLESS_OIDC_TOKEN var=$PLANTED"',
      `printf %s "$AWS_SECRET_ACCESS_KEY" > "${dump}/secret"`,
      `printf %s "$AWS_SESSION_TOKEN" > "${dump}/session"`,
      `printf %s "$KEYLESS_OIDC_TOKEN" > "${dump}/oidc"`,
    ].join(' && ')
    const env = await createEnv(stack, org, {
      steps: [{ name: 'leak', run: step }],
      credential: { roleArn, stsEndpoint: stack.emulatorUrl, refresh: false },
      variables: { PLANTED: { value: sensitive, sensitive: true } },
    })
    const key = await stack.api('POST', `/api/v1/organizations/${org.id}/api-keys`, {
      role: 'admin',
      email: 'scan@logscan.example',
    })
    planted.set('API key', key.key)
    // The wrong credential on each API, a revoked one, and garbage that looks like a key.
    const revoked = await stack.api('POST', `/api/v1/organizations/${org.id}/api-keys`, {
      role: 'viewer',
      email: 'gone@logscan.example',
    })
    planted.set('revoked API key', revoked.key)
    await stack.api('DELETE', `/api/v1/organizations/${org.id}/api-keys/${revoked.id}`)
    const garbage = `kl_planted_garbage_${Math.random().toString(36).slice(2)}0000000000`
    planted.set('garbage key', garbage)
    for (const bearer of [revoked.key, garbage, org.agentToken])
      await stack.apiRaw('GET', `/api/v1/organizations/${org.id}`, undefined, bearer)
    await stack.apiRaw('POST', '/agent/v1/claim', { waitSeconds: 0 }, key.key)
    // A token minted by hand and exchanged at the emulator, whose answer carries credentials.
    const id = await deploy(stack, env)
    const minted = await stack.api(
      'POST',
      `/api/v1/deployments/${id}/oidc-token`,
      undefined,
      key.key,
    )
    planted.set('manually minted token', minted.token)
    const exchange = await fetch(stack.emulatorUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: roleArn,
        RoleSessionName: id,
        WebIdentityToken: minted.token,
      }).toString(),
    })
    const xml = await exchange.text()
    planted.set('exchanged secret key', /<SecretAccessKey>([^<]+)/u.exec(xml)?.[1] ?? '')
    planted.set('exchanged session token', /<SessionToken>([^<]+)/u.exec(xml)?.[1] ?? '')
    stack.startAgent(org.agentToken)
    deploymentStatus = (await waitStatus(stack, id)).status as string
    for (const [name, file] of [
      ['runner secret key', 'secret'],
      ['runner session token', 'session'],
      ['runner OIDC token', 'oidc'],
    ] as const)
      planted.set(name, readFileSync(join(dump, file), 'utf8'))
  }, 120_000)

  afterAll(async () => {
    await stack?.stop()
  })

  it('planted what it meant to (the deployment ran with credentials)', () => {
    expect(deploymentStatus).toBe('succeeded')
    for (const [what, value] of planted) expect(value.length, what).toBeGreaterThan(8)
  })

  it('finds none of them, nor anything shaped like one, in any output or file', () => {
    const hits: string[] = []
    for (const { name, text } of stack.outputs()) hits.push(...scan(name, text, planted))
    for (const file of filesUnder(stack.dir, dump))
      hits.push(...scan(relative(stack.dir, file), readFileSync(file, 'utf8'), planted))
    expect(hits).toEqual([])
  })

  it('would find one (the scanner is not blind)', () => {
    const line = `leaked ${planted.get('API key') ?? ''}`
    expect(scan('x', line, planted)).toEqual([
      'x:1: API key',
      'x:1: something shaped like a API key',
    ])
  })
})
