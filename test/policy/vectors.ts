/** Loading the policy vectors of test/vectors/policy/ (shared by the runner and the differential test). */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type {
  ContextValue,
  EvaluationRequest,
  SessionTag,
  WebIdentityTrustInput,
} from '../../src/policy/index.js'
import { parsePolicy } from '../../src/policy/index.js'

export const VECTOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'policy')

export interface ExpectedFailing {
  statement?: string
  operator?: string
  key?: string
}

export interface EvaluateCase {
  name: string
  rule: string
  request: EvaluationRequest
  policies: unknown[]
  expected: { decision: string; failing?: ExpectedFailing[] }
  /** Why the differential oracle cannot judge this case. */
  oracle?: string
  skip?: string
}

export interface ParseCase {
  name: string
  rule: string
  parse: string
  parseOptions?: { maxBytes?: number; maxDepth?: number }
  expected: {
    ok: boolean
    errorCode?: string
    line?: number
    column?: number
    duplicateKeys?: Array<{ path: string; key: string; line: number; column: number }>
    conditionKeys?: string[]
    effect?: string
  }
  skip?: string
}

export interface ValidateCase {
  name: string
  rule: string
  validate: 'trust' | 'identity'
  text: string
  expected: { ok: boolean; code?: string; message?: string }
  skip?: string
}

export interface WebIdentityCase {
  name: string
  rule: string
  webIdentity: Record<string, unknown> & { trustPolicy: unknown }
  expected: {
    decision: string
    deniedAction?: string
    failing?: ExpectedFailing[]
    context?: Record<string, unknown>
  }
  oracle?: string
  skip?: string
}

export type VectorCase = EvaluateCase | ParseCase | ValidateCase | WebIdentityCase

export interface VectorFile {
  path: string
  description: string
  cases: VectorCase[]
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) =>
      d.isDirectory()
        ? walk(join(dir, d.name))
        : d.name.endsWith('.json')
          ? [join(dir, d.name)]
          : [],
    )
    .sort()
}

export function loadVectors(): VectorFile[] {
  return walk(VECTOR_DIR).map((file) => {
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      description: string
      cases: VectorCase[]
    }
    return { path: relative(VECTOR_DIR, file), description: data.description, cases: data.cases }
  })
}

export const isParse = (c: VectorCase): c is ParseCase => 'parse' in c
export const isValidate = (c: VectorCase): c is ValidateCase => 'validate' in c
export const isWebIdentity = (c: VectorCase): c is WebIdentityCase => 'webIdentity' in c
export const isEvaluate = (c: VectorCase): c is EvaluateCase => 'request' in c

/** A policy in a vector is JSON (pretty-printed for positions) or a string of policy text. */
export function policyText(policy: unknown): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2)
}

export function mustParse(policy: unknown) {
  const parsed = parsePolicy(policyText(policy))
  if (!parsed.ok) throw new Error(`vector policy does not parse: ${parsed.error.message}`)
  return parsed.policy
}

export const PROVIDER = {
  arn: 'arn:aws:iam::111122223333:oidc-provider/idp.example.com',
  url: 'idp.example.com',
}

/** The web-identity input of a case, with the spec's conventions as defaults. */
export function webIdentityInput(c: WebIdentityCase): WebIdentityTrustInput {
  const w = c.webIdentity
  const input: WebIdentityTrustInput = {
    trustPolicy: mustParse(w.trustPolicy),
    roleArn: 'arn:aws:iam::111122223333:role/R',
    accountId: '111122223333',
    provider: (w.provider as WebIdentityTrustInput['provider'] | undefined) ?? PROVIDER,
    claims: (w.claims as Record<string, unknown> | undefined) ?? {
      iss: 'https://idp.example.com',
      aud: 'sts.amazonaws.com',
      sub: 'user-123456',
    },
    roleSessionName: (w.roleSessionName as string | undefined) ?? 's1',
    sessionTags: (w.sessionTags as SessionTag[] | undefined) ?? [],
    transitiveTagKeys: (w.transitiveTagKeys as string[] | undefined) ?? [],
    requestTime: new Date((w.requestTime as string | undefined) ?? '2026-11-25T12:00:00Z'),
    ...(w.sourceIdentity === undefined ? {} : { sourceIdentity: w.sourceIdentity as string }),
    ...(w.sourceIp === undefined ? {} : { sourceIp: w.sourceIp as string }),
    ...(w.userAgent === undefined ? {} : { userAgent: w.userAgent as string }),
    ...(w.secureTransport === undefined ? {} : { secureTransport: w.secureTransport as boolean }),
    ...(w.audience === undefined ? {} : { audience: w.audience as string }),
  }
  return input
}

export type Context = Record<string, ContextValue>
