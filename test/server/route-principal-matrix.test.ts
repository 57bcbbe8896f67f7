/**
 * Route × principal matrix. The routes come from the control plane's own OpenAPI document
 * (`GET /api/v1/openapi.json`, generated from the route declarations); each needs a rule below (the
 * least role it takes and a valid body), so a new route cannot go untested. Principals: no key, a
 * garbage key, a revoked key or agent token, another organization's admin (or agent), the viewer on
 * writes, the deployer on admin routes, an agent token on the REST API, an API key and the owner key
 * on the agent API. Each cell asserts the status and code the server's rules give — 401
 * `unauthorized` for no, unknown or revoked credentials and for the wrong kind, 404 `not_found` for
 * another organization's object (no existence leak), 403 `forbidden` for too small a role — and
 * that the body names no other organization (docs/security.md).
 *
 * The Terraform state backend (`/state/v1/…`, HTTP basic auth with per-deployment secrets) is not in
 * the OpenAPI document; test/state/protocol.test.ts covers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE_ARN, seed, startHarness, type Harness } from './harness.js'

type Seeded = Awaited<ReturnType<typeof seed>>
type Role = 'viewer' | 'deployer' | 'admin' | 'owner' | 'agent'

/** The ids a route's path and body are filled with (organization A's objects). */
interface Ids {
  readonly s: Seeded
  readonly deploymentId: string
  readonly apiKeyId: string
  readonly agentTokenId: string
}

interface Rule {
  /** The least principal the route takes. */
  readonly role: Role
  readonly body?: (ids: Ids) => unknown
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/127.0.0.1:8080' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
  ],
})
const VARIABLE = 'MATRIX_VAR'

const variableRules = (segment: string): Record<string, Rule> => ({
  [`GET /api/v1/${segment}/{id}/variables`]: { role: 'viewer' },
  [`PUT /api/v1/${segment}/{id}/variables/{name}`]: {
    role: 'admin',
    body: () => ({ value: 'matrix' }),
  },
  [`GET /api/v1/${segment}/{id}/variables/{name}`]: { role: 'viewer' },
  [`DELETE /api/v1/${segment}/{id}/variables/{name}`]: { role: 'admin' },
})

/** Every operation of the OpenAPI document, with the least role it takes (src/platform). */
const rules: Readonly<Record<string, Rule>> = {
  'POST /api/v1/organizations': { role: 'owner', body: () => ({ name: 'matrix-new-org' }) },
  'GET /api/v1/organizations': { role: 'viewer' },
  'GET /api/v1/organizations/{id}': { role: 'viewer' },
  'PATCH /api/v1/organizations/{id}': { role: 'admin', body: () => ({ name: 'renamed' }) },
  'POST /api/v1/organizations/{id}/projects': { role: 'admin', body: () => ({ name: 'p2' }) },
  'GET /api/v1/organizations/{id}/projects': { role: 'viewer' },
  'GET /api/v1/projects/{id}': { role: 'viewer' },
  'PATCH /api/v1/projects/{id}': { role: 'admin', body: () => ({ name: 'renamed' }) },
  'POST /api/v1/organizations/{id}/templates': {
    role: 'admin',
    body: () => ({ name: 't2', type: 'custom', steps: [{ name: 's', run: 'true' }] }),
  },
  'GET /api/v1/organizations/{id}/templates': { role: 'viewer' },
  'GET /api/v1/templates/{id}': { role: 'viewer' },
  'PATCH /api/v1/templates/{id}': { role: 'admin', body: () => ({ name: 'renamed' }) },
  'POST /api/v1/projects/{id}/environments': {
    role: 'admin',
    body: ({ s }) => ({ name: 'e2', templateId: s.template.id }),
  },
  'GET /api/v1/projects/{id}/environments': { role: 'viewer' },
  'GET /api/v1/environments/{id}': { role: 'viewer' },
  'PATCH /api/v1/environments/{id}': { role: 'admin', body: () => ({ name: 'renamed' }) },
  ...variableRules('organizations'),
  ...variableRules('projects'),
  ...variableRules('templates'),
  ...variableRules('environments'),
  'POST /api/v1/organizations/{id}/credentials': {
    role: 'admin',
    body: () => ({ name: 'c2', roleArn: ROLE_ARN }),
  },
  'GET /api/v1/organizations/{id}/credentials': { role: 'viewer' },
  'GET /api/v1/credentials/{id}': { role: 'viewer' },
  'PATCH /api/v1/credentials/{id}': { role: 'admin', body: () => ({ name: 'renamed' }) },
  'GET /api/v1/projects/{id}/credentials': { role: 'viewer' },
  'PUT /api/v1/projects/{id}/credentials/{credentialId}': { role: 'admin' },
  'DELETE /api/v1/projects/{id}/credentials/{credentialId}': { role: 'admin' },
  'POST /api/v1/environments/{id}/deployments': { role: 'deployer', body: () => ({}) },
  'GET /api/v1/deployments/{id}': { role: 'viewer' },
  'POST /api/v1/deployments/{id}/cancel': { role: 'deployer' },
  'POST /api/v1/deployments/{id}/approve': { role: 'deployer', body: () => ({}) },
  'POST /api/v1/deployments/{id}/reject': { role: 'deployer', body: () => ({}) },
  'GET /api/v1/organizations/{id}/deployments': { role: 'viewer' },
  'GET /api/v1/environments/{id}/state/versions': { role: 'viewer' },
  'GET /api/v1/environments/{id}/state/versions/{serial}': { role: 'admin' },
  'POST /api/v1/environments/{id}/state/versions/{serial}/restore': { role: 'admin' },
  'GET /api/v1/environments/{id}/state/lock': { role: 'viewer' },
  'DELETE /api/v1/environments/{id}/state/lock': { role: 'admin' },
  'GET /api/v1/environments/{id}/state/outputs': { role: 'viewer' },
  'GET /api/v1/environments/{id}/state/resources': { role: 'viewer' },
  'GET /api/v1/deployments/{id}/logs': { role: 'viewer' },
  'POST /api/v1/organizations/{id}/api-keys': {
    role: 'admin',
    body: () => ({ role: 'viewer', email: 'matrix@alpha.example' }),
  },
  'GET /api/v1/organizations/{id}/api-keys': { role: 'admin' },
  'DELETE /api/v1/organizations/{id}/api-keys/{keyId}': { role: 'admin' },
  'POST /api/v1/organizations/{id}/agent-tokens': {
    role: 'admin',
    body: () => ({ name: 'agent-2' }),
  },
  'GET /api/v1/organizations/{id}/agent-tokens': { role: 'admin' },
  'DELETE /api/v1/organizations/{id}/agent-tokens/{keyId}': { role: 'admin' },
  'GET /api/v1/organizations/{id}/agents': { role: 'viewer' },
  'GET /api/v1/organizations/{id}/audit': { role: 'admin' },
  'GET /api/v1/organizations/{id}/oidc': { role: 'viewer' },
  'GET /api/v1/environments/{id}/oidc-preview': { role: 'viewer' },
  'POST /api/v1/deployments/{id}/oidc-token': { role: 'admin' },
  'POST /api/v1/organizations/{id}/trust/lint': { role: 'viewer', body: () => ({ policy: TRUST }) },
  'POST /api/v1/organizations/{id}/trust/lint-gcp': {
    role: 'viewer',
    body: () => ({ providers: JSON.stringify({ oidc: { allowedAudiences: ['x'] } }) }),
  },
  'POST /api/v1/environments/{id}/trust/explain': {
    role: 'viewer',
    body: () => ({ trustPolicy: TRUST }),
  },
  'GET /api/v1/organizations/{id}/setup': { role: 'viewer' },
  'GET /api/v1/organizations/{id}/setup/azure': { role: 'viewer' },
  'GET /api/v1/organizations/{id}/setup/gcp': { role: 'viewer' },
  'GET /api/v1/organizations/{id}/thumbprint': { role: 'viewer' },
  'POST /agent/v1/claim': { role: 'agent', body: () => ({ waitSeconds: 0 }) },
  'POST /agent/v1/claim/release': {
    role: 'agent',
    body: () => ({ claimKey: 'matrix-claim-key-0123' }),
  },
  'POST /agent/v1/deployments/{id}/heartbeat': { role: 'agent' },
  'POST /agent/v1/deployments/{id}/logs': {
    role: 'agent',
    body: () => ({ lines: [{ stream: 'stdout', text: 'x' }] }),
  },
  'POST /agent/v1/deployments/{id}/status': {
    role: 'agent',
    body: () => ({ status: 'running' }),
  },
  'POST /agent/v1/deployments/{id}/release': { role: 'agent' },
  'POST /agent/v1/deployments/{id}/oidc-token': { role: 'agent' },
}

const RANK: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2, owner: 3, agent: 4 }

type PrincipalName =
  | 'no key'
  | 'garbage'
  | 'revoked'
  | 'other organization'
  | 'viewer'
  | 'deployer'
  | 'agent token on REST'
  | 'API key on agent API'
  | 'owner key on agent API'

interface Cell {
  readonly route: string
  readonly principal: PrincipalName
  readonly status: number
  readonly code: string | undefined
}

/** The cells of one route: the principals that must be refused, and how. */
function cellsOf(route: string, rule: Rule): Cell[] {
  const [method = '', path = ''] = route.split(' ')
  const agentApi = rule.role === 'agent'
  const cells: Cell[] = [
    { route, principal: 'no key', status: 401, code: 'unauthorized' },
    { route, principal: 'garbage', status: 401, code: 'unauthorized' },
    { route, principal: 'revoked', status: 401, code: 'unauthorized' },
  ]
  if (agentApi) {
    cells.push({ route, principal: 'API key on agent API', status: 401, code: 'unauthorized' })
    cells.push({ route, principal: 'owner key on agent API', status: 401, code: 'unauthorized' })
  } else cells.push({ route, principal: 'agent token on REST', status: 401, code: 'unauthorized' })
  if (path.includes('{id}'))
    cells.push({ route, principal: 'other organization', status: 404, code: 'not_found' })
  else if (rule.role === 'owner')
    cells.push({ route, principal: 'other organization', status: 403, code: 'forbidden' })
  else cells.push({ route, principal: 'other organization', status: 0, code: undefined })
  if (!agentApi && method !== 'GET' && RANK[rule.role] > RANK.viewer)
    cells.push({ route, principal: 'viewer', status: 403, code: 'forbidden' })
  if (!agentApi && RANK[rule.role] >= RANK.admin)
    cells.push({ route, principal: 'deployer', status: 403, code: 'forbidden' })
  return cells
}

function urlOf(path: string, ids: Ids): string {
  const { s } = ids
  const prefix = path.split('/')[3] ?? ''
  const id =
    path.startsWith('/agent/') || prefix === 'deployments'
      ? ids.deploymentId
      : {
          organizations: s.org.id,
          projects: s.project.id,
          templates: s.template.id,
          environments: s.environment.id,
          credentials: s.credential.id,
        }[prefix]
  return path
    .replace('{id}', id ?? 'missing')
    .replace('{name}', VARIABLE)
    .replace('{credentialId}', s.credential.id)
    .replace('{serial}', '1')
    .replace('{keyId}', path.includes('agent-tokens') ? ids.agentTokenId : ids.apiKeyId)
}

describe('route × principal matrix (from the OpenAPI document)', () => {
  let h: Harness
  let a: Seeded
  let b: Seeded
  let ids: Ids
  let operations: string[]
  const keys: Record<string, string | null> = {}

  beforeAll(async () => {
    h = await startHarness()
    a = await seed(h, 'matrix-alpha-org')
    b = await seed(h, 'matrix-bravo-org')
    const dep = await h.call('POST', `/api/v1/environments/${a.environment.id}/deployments`)
    const apiKey = await h.call('POST', `/api/v1/organizations/${a.org.id}/api-keys`, {
      body: { role: 'viewer', email: 'spare@alpha.example' },
    })
    const agentToken = await h.call('POST', `/api/v1/organizations/${a.org.id}/agent-tokens`, {
      body: { name: 'spare' },
    })
    ids = {
      s: a,
      deploymentId: dep.json().id,
      apiKeyId: apiKey.json().id,
      agentTokenId: agentToken.json().id,
    }
    for (const scope of ['organizations', 'projects', 'templates', 'environments'] as const) {
      const scopeId = {
        organizations: a.org.id,
        projects: a.project.id,
        templates: a.template.id,
        environments: a.environment.id,
      }[scope]
      await h.call('PUT', `/api/v1/${scope}/${scopeId}/variables/${VARIABLE}`, {
        body: { value: 'v' },
      })
    }
    const revoke = async (kind: 'api-keys' | 'agent-tokens', body: unknown) => {
      const made = (
        await h.call('POST', `/api/v1/organizations/${a.org.id}/${kind}`, { body })
      ).json()
      await h.call('DELETE', `/api/v1/organizations/${a.org.id}/${kind}/${made.id}`)
      return (made.key ?? made.token) as string
    }
    const revokedKey = await revoke('api-keys', { role: 'admin', email: 'gone@alpha.example' })
    const revokedAgent = await revoke('agent-tokens', { name: 'gone' })
    Object.assign(keys, {
      'no key': null,
      garbage: 'kl_garbage-0000000000000000000000000000',
      'revoked:rest': revokedKey,
      'revoked:agent': revokedAgent,
      'other organization:rest': b.keys.admin,
      'other organization:agent': b.keys.agent,
      viewer: a.keys.viewer,
      deployer: a.keys.deployer,
      'agent token on REST': a.keys.agent,
      'API key on agent API': a.keys.admin,
      'owner key on agent API': h.ownerKey,
    })
    const doc = (await h.call('GET', '/api/v1/openapi.json', { key: null })).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    )
  })
  afterAll(async () => {
    await h?.close()
  })

  it('has a rule for every operation of the OpenAPI document, and no other', () => {
    expect([...operations].sort()).toEqual(Object.keys(rules).sort())
  })

  const cells = Object.entries(rules).flatMap(([route, rule]) => cellsOf(route, rule))

  it.each(cells.map((c) => [c.route, c.principal, c] as const))(
    '%s as %s',
    async (route, principal, cell) => {
      const rule = rules[route]!
      const [method = '', path = ''] = route.split(' ')
      const api = rule.role === 'agent' ? 'agent' : 'rest'
      const key = keys[`${principal}:${api}`] ?? keys[principal]
      const url = urlOf(path, ids)
      const body = rule.body?.(ids)
      const res = await h.call(method, url, {
        key: key ?? null,
        ...(body === undefined ? {} : { body }),
      })
      if (cell.status === 0) expect(res.statusCode, res.body).toBeLessThan(300)
      else {
        expect({ status: res.statusCode, code: res.json().error?.code }, res.body).toEqual({
          status: cell.status,
          code: cell.code,
        })
      }
      // Organization A's principals see nothing of B's; B's nothing of A's (beyond the URL it sent).
      const own = principal === 'other organization' ? a : b
      const leaks = [own.org.id, own.org.name, own.project.id, own.environment.id].filter(
        (v) => !url.includes(v),
      )
      for (const v of leaks) expect(res.body, `${v} in ${res.body}`).not.toContain(v)
    },
  )
})
