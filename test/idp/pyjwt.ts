/**
 * The independent verifier: PyJWT's PyJWKClient (Debian's python3-jwt) run on
 * test/idp/verify_token.py. Python is `KEYLESS_PYTHON` or /usr/bin/python3; the tests skip when
 * it or its `jwt` module is missing, unless KEYLESS_REQUIRE_AWS_CLIENTS=1 (CI installs it with
 * the AWS clients), where they fail.
 */
import { defaultRunPhase } from '../../src/shared/token-context.js'
import { spawn, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { TokenContext } from '../../src/shared/token-context.js'
import { PYTHON, requireAwsClients } from '../support/env.js'

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'verify_token.py')

/** True when the verifier can run here; false means skip (never in CI: there it must run). */
export function pyjwtAvailable(): boolean {
  if (requireAwsClients) return true
  const probe = spawnSync(PYTHON, ['-c', 'import jwt; from jwt import PyJWKClient'], {
    stdio: 'ignore',
  })
  return probe.status === 0
}

export interface PyJwtResult {
  readonly header: Record<string, unknown>
  readonly claims: Record<string, unknown>
  readonly discovery: Record<string, unknown>
  readonly jwk: { kid: string; kty: string; use: string | null }
}

/** Verifies a token through the issuer's published discovery document and JWKS. */
export function verifyWithPyJwt(
  token: string,
  issuer: string,
  audience: string,
): Promise<PyJwtResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, issuer, audience], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as PyJwtResult)
      else reject(new Error(`PyJWT verification failed (exit ${String(code)}): ${err.trim()}`))
    })
    child.stdin.end(token)
  })
}

export interface ExpectedToken {
  readonly issuer: string
  readonly context: TokenContext
  readonly subject: string
  readonly ttlSeconds: number
  /** Bounds of the mint time (seconds since the epoch). */
  readonly mintedAfter: number
  readonly mintedBefore: number
}

/** Checks every claim of docs/architecture.md §3, and that there is no other. */
export function expectDesignClaims(claims: Record<string, unknown>, e: ExpectedToken): void {
  const c = e.context
  const iat = claims['iat'] as number
  expect(Number.isInteger(iat)).toBe(true)
  expect(iat).toBeGreaterThanOrEqual(e.mintedAfter)
  expect(iat).toBeLessThanOrEqual(e.mintedBefore)
  const expected: Record<string, unknown> = {
    iss: e.issuer,
    sub: e.subject,
    aud: c.audience,
    iat,
    nbf: iat,
    exp: iat + e.ttlSeconds,
    jti: claims['jti'],
    organizationId: c.organizationId,
    organizationName: c.organizationName,
    projectId: c.projectId,
    projectName: c.projectName,
    templateId: c.templateId,
    templateName: c.templateName,
    environmentId: c.environmentId,
    environmentName: c.environmentName,
    deploymentId: c.deploymentId,
    deploymentType: c.deploymentType,
    runPhase: c.runPhase ?? defaultRunPhase(c.deploymentType),
    deployerEmail: c.deployerEmail,
  }
  if (c.userTag !== undefined) expected['userTag'] = c.userTag
  if (c.sessionTags) {
    const tags: Record<string, [string]> = {
      organizationId: [c.organizationId],
      projectId: [c.projectId],
      templateId: [c.templateId],
      environmentId: [c.environmentId],
      deploymentType: [c.deploymentType],
      runPhase: [c.runPhase ?? defaultRunPhase(c.deploymentType)],
      deployerEmail: [c.deployerEmail],
    }
    if (c.userTag !== undefined) tags['userTag'] = [c.userTag]
    expected['https://aws.amazon.com/tags'] = { principal_tags: tags }
  }
  expect(claims['jti']).toMatch(/^[0-9a-f-]{36}$/u)
  expect(claims).toEqual(expected)
}
