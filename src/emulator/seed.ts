/**
 * `--seed FILE`: providers and roles applied idempotently at start, through the same IAM actions
 * (and so the same validation) as API calls. Existing entries are brought in line with the seed.
 *
 * ```json
 * { "providers": [ { "url": "https://idp.example.com", "clientIds": ["sts.amazonaws.com"],
 *                    "thumbprints": [], "tags": { "team": "infra" } } ],
 *   "roles": [ { "name": "deploy", "path": "/", "trustPolicy": { "Version": "2012-10-17", … },
 *                "maxSessionDuration": 3600, "description": "…", "tags": { "k": "v" },
 *                "inlinePolicies": { "name": { … } } } ] }
 * ```
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { KeylessError } from '../shared/errors.js'
import type { ActionContext, RegisteredAction } from './action.js'
import { isAwsError } from './errors.js'
import { findAction } from './registry.js'

const policyText = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2)))
const tags = z.record(z.string(), z.string()).default({})

export const seedSchema = z
  .object({
    providers: z
      .array(
        z
          .object({
            url: z.string(),
            clientIds: z.array(z.string()).default([]),
            thumbprints: z.array(z.string()).default([]),
            tags,
          })
          .strict(),
      )
      .default([]),
    roles: z
      .array(
        z
          .object({
            name: z.string(),
            path: z.string().default('/'),
            trustPolicy: policyText,
            maxSessionDuration: z.number().int().default(3600),
            description: z.string().optional(),
            tags,
            inlinePolicies: z.record(z.string(), policyText).default({}),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()

export type Seed = z.infer<typeof seedSchema>

type WireValue = string | number | readonly string[] | Readonly<Record<string, string>>

function wire(input: Readonly<Record<string, WireValue | undefined>>): Map<string, string> {
  const out = new Map<string, string>()
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue
    if (typeof value === 'string' || typeof value === 'number') out.set(name, String(value))
    else if (Array.isArray(value)) {
      if (value.length === 0) out.set(name, '')
      value.forEach((v: string, i) => out.set(`${name}.member.${i + 1}`, v))
    } else
      Object.entries(value).forEach(([k, v], i) => {
        out.set(`${name}.member.${i + 1}.Key`, k)
        out.set(`${name}.member.${i + 1}.Value`, v)
      })
  }
  return out
}

async function call(
  ctx: ActionContext,
  name: string,
  service: 'iam',
  input: Record<string, WireValue | undefined>,
  what: string,
): Promise<void> {
  const action: RegisteredAction | undefined = findAction(service, name)
  if (action === undefined) throw new KeylessError('internal_error', `seed: no action ${name}`)
  try {
    await action.run(wire(input), ctx)
  } catch (error) {
    if (isAwsError(error))
      throw new KeylessError('config_invalid', `seed: ${what}: ${error.code}: ${error.message}`)
    throw error
  }
}

export function readSeed(file: string): Seed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new KeylessError('input_unreadable', `seed file ${file} cannot be read`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new KeylessError('input_unreadable', `seed file ${file} is not JSON`)
  }
  const parsed = seedSchema.safeParse(json)
  if (!parsed.success)
    throw new KeylessError(
      'input_unreadable',
      `seed file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  return parsed.data
}

export async function applySeed(seed: Seed, ctx: ActionContext): Promise<void> {
  const account = ctx.settings.accountId
  for (const p of seed.providers) {
    const url = p.url.replace(/^https?:\/\//u, '')
    const arn = `arn:aws:iam::${account}:oidc-provider/${url}`
    const existing = ctx.state.providers.get(arn)
    const what = `provider ${p.url}`
    if (existing === undefined) {
      await call(
        ctx,
        'CreateOpenIDConnectProvider',
        'iam',
        { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, Tags: p.tags },
        what,
      )
      continue
    }
    for (const id of p.clientIds.filter((c) => !existing.clientIds.includes(c)))
      await call(
        ctx,
        'AddClientIDToOpenIDConnectProvider',
        'iam',
        { OpenIDConnectProviderArn: arn, ClientID: id },
        what,
      )
    for (const id of existing.clientIds.filter((c) => !p.clientIds.includes(c)))
      await call(
        ctx,
        'RemoveClientIDFromOpenIDConnectProvider',
        'iam',
        { OpenIDConnectProviderArn: arn, ClientID: id },
        what,
      )
    await call(
      ctx,
      'UpdateOpenIDConnectProviderThumbprint',
      'iam',
      { OpenIDConnectProviderArn: arn, ThumbprintList: p.thumbprints },
      what,
    )
    if (Object.keys(p.tags).length > 0)
      await call(
        ctx,
        'TagOpenIDConnectProvider',
        'iam',
        { OpenIDConnectProviderArn: arn, Tags: p.tags },
        what,
      )
  }
  for (const r of seed.roles) {
    const what = `role ${r.name}`
    if (ctx.state.roles.get(r.name.toLowerCase()) === undefined) {
      await call(
        ctx,
        'CreateRole',
        'iam',
        {
          RoleName: r.name,
          Path: r.path,
          AssumeRolePolicyDocument: r.trustPolicy,
          MaxSessionDuration: r.maxSessionDuration,
          Description: r.description,
          Tags: r.tags,
        },
        what,
      )
    } else {
      await call(
        ctx,
        'UpdateAssumeRolePolicy',
        'iam',
        { RoleName: r.name, PolicyDocument: r.trustPolicy },
        what,
      )
      await call(
        ctx,
        'UpdateRole',
        'iam',
        { RoleName: r.name, MaxSessionDuration: r.maxSessionDuration, Description: r.description },
        what,
      )
      if (Object.keys(r.tags).length > 0)
        await call(ctx, 'TagRole', 'iam', { RoleName: r.name, Tags: r.tags }, what)
    }
    for (const [name, doc] of Object.entries(r.inlinePolicies))
      await call(
        ctx,
        'PutRolePolicy',
        'iam',
        { RoleName: r.name, PolicyName: name, PolicyDocument: doc },
        what,
      )
  }
}
