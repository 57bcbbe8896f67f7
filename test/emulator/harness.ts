/* eslint-disable @typescript-eslint/no-explicit-any -- parsed XML responses are untyped trees */
/**
 * Test harness for the emulator: an in-process app (`inject`), a loopback test issuer sharing a
 * manual clock, signed IAM/STS calls with the admin keys or session credentials, and an XML
 * reader for responses.
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { XMLParser } from 'fast-xml-parser'
import { buildEmulator, type Emulator, type EmulatorConfig } from '../../src/emulator/index.js'
import { ManualClock, systemClock } from '../../src/shared/clock.js'
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from '../support/test-issuer.js'

export const ACCOUNT = '111122223333'
export const ADMIN = { accessKeyId: 'AKIDADMINEXAMPLE', secretAccessKey: 'admin-secret-example' }

export interface Creds {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export interface Reply {
  readonly status: number
  readonly headers: Record<string, unknown>
  readonly body: string
  /** Parsed XML (all values strings). */
  readonly xml: Record<string, any>
  readonly code: string | undefined
  readonly message: string | undefined
  /** `<ActionResult>` content, when a success. */
  readonly result: Record<string, any> | undefined
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => name === 'member',
})

export function readReply(status: number, headers: Record<string, unknown>, body: string): Reply {
  const xml = parser.parse(body) as Record<string, any>
  const root = Object.keys(xml).find((k) => k !== '?xml') ?? ''
  const error = root === 'ErrorResponse' ? xml[root].Error : undefined
  const resultKey = root.replace(/Response$/u, 'Result')
  return {
    status,
    headers,
    body,
    xml,
    code: error?.Code,
    message: error?.Message,
    result: error === undefined ? (xml[root]?.[resultKey] ?? {}) : undefined,
  }
}

export function form(params: Readonly<Record<string, string | number | undefined>>): string {
  const out = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out.append(k, String(v))
  return out.toString()
}

export interface SignOptions {
  readonly service: 'sts' | 'iam'
  readonly creds: Creds
  readonly date?: Date
  readonly region?: string
}

/** Signs a form POST like the JS SDK does; returns the headers to send. */
export async function signForm(
  body: string,
  options: SignOptions,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: options.service,
    region: options.region ?? 'us-east-1',
    sha256: Sha256,
    credentials: options.creds,
  })
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    path: '/',
    headers: {
      host: 'localhost',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body,
  })
  const signed = await signer.sign(request, { signingDate: options.date ?? systemClock.now() })
  return signed.headers
}

export interface Harness {
  readonly app: Emulator
  readonly issuer: TestIssuer
  readonly clock: ManualClock
  readonly providerArn: string
  readonly roleArn: string
  /** Unsigned Query POST. */
  post(params: Readonly<Record<string, string | number | undefined>>): Promise<Reply>
  /** Signed Query POST. */
  signed(
    params: Readonly<Record<string, string | number | undefined>>,
    options: SignOptions,
  ): Promise<Reply>
  /** IAM call with the admin keys. */
  iam(params: Readonly<Record<string, string | number | undefined>>): Promise<Reply>
  assume(
    token: string,
    extra?: Readonly<Record<string, string | number | undefined>>,
  ): Promise<Reply>
  /** Creates provider P (issuer, client id sts.amazonaws.com) and role R with trust policy T0. */
  setup(options?: {
    clientIds?: readonly string[]
    trust?: unknown
    maxSessionDuration?: number
  }): Promise<void>
  trust(statements: unknown[], version?: string): Promise<Reply>
  t0(): Record<string, unknown>
  close(): Promise<void>
}

export async function startHarness(
  options: {
    issuer?: TestIssuerOptions
    config?: Partial<EmulatorConfig>
    issuerInstance?: TestIssuer
    clock?: ManualClock
  } = {},
): Promise<Harness> {
  const clock =
    options.clock ?? new ManualClock(Math.floor(systemClock.now().getTime() / 1000) * 1000)
  const issuer = options.issuerInstance ?? (await startTestIssuer({ clock, ...options.issuer }))
  const app = await buildEmulator({ accountId: ACCOUNT, ...ADMIN, ...options.config }, { clock })
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/R`
  const inject = async (body: string, headers: Record<string, string>): Promise<Reply> => {
    const r = await app.inject({ method: 'POST', url: '/', headers, payload: body })
    return readReply(r.statusCode, r.headers, r.body)
  }
  const h: Harness = {
    app,
    issuer,
    clock,
    providerArn,
    roleArn,
    post: (params) =>
      inject(form(params), {
        host: 'localhost',
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      }),
    async signed(params, signOptions) {
      const body = form(params)
      return inject(body, await signForm(body, { date: clock.now(), ...signOptions }))
    },
    iam: (params) =>
      h.signed({ Version: '2010-05-08', ...params }, { service: 'iam', creds: ADMIN }),
    assume: (token, extra = {}) =>
      h.post({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: roleArn,
        RoleSessionName: 's1',
        WebIdentityToken: token,
        ...extra,
      }),
    t0: () => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${issuer.host}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    }),
    async setup(setupOptions = {}) {
      const ids = setupOptions.clientIds ?? ['sts.amazonaws.com']
      const p: Record<string, string> = { Action: 'CreateOpenIDConnectProvider', Url: issuer.url }
      ids.forEach((id, i) => (p[`ClientIDList.member.${i + 1}`] = id))
      const r1 = await h.iam(p)
      if (r1.status !== 200) throw new Error(`setup provider: ${r1.body}`)
      const r2 = await h.iam({
        Action: 'CreateRole',
        RoleName: 'R',
        AssumeRolePolicyDocument: JSON.stringify(setupOptions.trust ?? h.t0()),
        MaxSessionDuration: setupOptions.maxSessionDuration,
      })
      if (r2.status !== 200) throw new Error(`setup role: ${r2.body}`)
    },
    trust: (statements, version = '2012-10-17') =>
      h.iam({
        Action: 'UpdateAssumeRolePolicy',
        RoleName: 'R',
        PolicyDocument: JSON.stringify({ Version: version, Statement: statements }),
      }),
    async close() {
      await app.close()
      if (options.issuerInstance === undefined) await issuer.close()
    },
  }
  return h
}

/** The statement of T0 with a different condition block (Allow, Federated P, AssumeRoleWithWebIdentity). */
export function allowP(
  h: Harness,
  condition?: unknown,
  action: unknown = 'sts:AssumeRoleWithWebIdentity',
): Record<string, unknown> {
  return {
    Effect: 'Allow',
    Principal: { Federated: h.providerArn },
    Action: action,
    ...(condition === undefined ? {} : { Condition: condition }),
  }
}
