import type {
  CredentialRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
} from '../store/platform-tables.js'
import type { Cloud } from '../shared/contracts/common.js'
import { KeylessError } from '../shared/errors.js'
import type { Tx } from './context.js'
import { columns, prepared } from './prepared.js'

/**
 * A deployment with its environment, organization, project, template and assigned credential,
 * read in one joined query (a mint used to read them one table at a time). The environment's
 * organization, project and template are joined, as `resolveEnvironment` reads them.
 */
export interface DeploymentRows {
  readonly deployment: DeploymentRow
  readonly environment: EnvironmentRow
  readonly organization: OrganizationRow
  readonly project: ProjectRow
  readonly template: TemplateRow
  /** The credential of the cloud the mint is for (see `loadDeploymentRows`). */
  readonly credential: CredentialRow | null
}

const ENVIRONMENT = columns<EnvironmentRow>({
  id: true,
  organization_id: true,
  project_id: true,
  template_id: true,
  name: true,
  role_arn_override: true,
  requires_approval: true,
  created_at: true,
  updated_at: true,
})
const ORGANIZATION = columns<OrganizationRow>({
  id: true,
  name: true,
  audience: true,
  subject_template: true,
  previous_subject_template: true,
  minting_stopped: true,
  created_at: true,
  updated_at: true,
})
const PROJECT = columns<ProjectRow>({
  id: true,
  organization_id: true,
  name: true,
  description: true,
  created_at: true,
  updated_at: true,
})
const TEMPLATE = columns<TemplateRow>({
  id: true,
  organization_id: true,
  name: true,
  type: true,
  steps: true,
  path: true,
  repository_url: true,
  repository_ref: true,
  state_backend: true,
  created_at: true,
  updated_at: true,
})
const CREDENTIAL = columns<CredentialRow>({
  id: true,
  organization_id: true,
  scope: true,
  project_id: true,
  name: true,
  type: true,
  role_arn: true,
  duration_seconds: true,
  plan_role_arn: true,
  region: true,
  sts_endpoint: true,
  session_tags: true,
  refresh: true,
  subject_template: true,
  settings: true,
  audience: true,
  created_at: true,
  updated_at: true,
})

const PARTS = [
  ['e', ENVIRONMENT],
  ['o', ORGANIZATION],
  ['p', PROJECT],
  ['t', TEMPLATE],
  ['c', CREDENTIAL],
] as const

/** `e.id as e__id`, …: deployment columns stay unprefixed (none contains `__`). */
const SELECTION: readonly string[] = PARTS.flatMap(([alias, cols]) =>
  cols.map((c) => `${alias}.${c} as ${alias}__${c}`),
)

const joined = prepared((db, slot) =>
  db
    .selectFrom('deployments as d')
    .innerJoin('environments as e', 'e.id', 'd.environment_id')
    .innerJoin('organizations as o', 'o.id', 'e.organization_id')
    .innerJoin('projects as p', 'p.id', 'e.project_id')
    .innerJoin('templates as t', 't.id', 'e.template_id')
    .leftJoin('credential_assignments as ca', (join) =>
      join.onRef('ca.project_id', '=', 'e.project_id').on('ca.cloud', '=', slot(1)),
    )
    .leftJoin('credentials as c', 'c.id', 'ca.credential_id')
    .selectAll('d')
    .select(SELECTION as never)
    .where('d.id', '=', slot(0)),
)

type Alias = (typeof PARTS)[number][0]

/** Where each column of each part sits in a row of the joined read (found once per columns). */
interface Layout {
  readonly deployment: ReadonlyArray<readonly [string, number]>
  readonly parts: Readonly<Record<Alias, ReadonlyArray<readonly [string, number]>>>
  readonly credentialId: number
}

const layouts = new WeakMap<readonly string[], Layout>()
function layoutOf(columns: readonly string[]): Layout {
  let layout = layouts.get(columns)
  if (layout !== undefined) return layout
  const at = (name: string): number => {
    const index = columns.indexOf(name)
    if (index < 0)
      throw new KeylessError('internal_error', `the joined mint read has no column ${name}`)
    return index
  }
  const parts = {} as Record<Alias, Array<readonly [string, number]>>
  for (const [alias, cols] of PARTS) parts[alias] = cols.map((c) => [c, at(`${alias}__${c}`)])
  layout = {
    // The deployment's columns (`d.*`) are the unprefixed ones (none contains `__`).
    deployment: columns.flatMap((c, i) => (c.includes('__') ? [] : [[c, i] as const])),
    parts,
    credentialId: at('c__id'),
  }
  layouts.set(columns, layout)
  return layout
}

function pick<R>(row: readonly unknown[], columns: ReadonlyArray<readonly [string, number]>): R {
  const out: Record<string, unknown> = {}
  for (const [name, index] of columns) out[name] = row[index]
  return out as R
}

/**
 * The deployment and everything a mint for `cloud` resolves (the credential assigned for that
 * cloud), or undefined when it (or a parent) is missing.
 */
export async function loadDeploymentRows(
  db: Tx,
  deploymentId: string,
  cloud: Cloud = 'aws',
): Promise<DeploymentRows | undefined> {
  const { columns, rows } = await joined.tuples(db, [deploymentId, cloud])
  const row = rows[0]
  if (row === undefined) return undefined
  const layout = layoutOf(columns)
  const { e, o, p, t, c } = layout.parts
  return {
    deployment: pick<DeploymentRow>(row, layout.deployment),
    environment: pick<EnvironmentRow>(row, e),
    organization: pick<OrganizationRow>(row, o),
    project: pick<ProjectRow>(row, p),
    template: pick<TemplateRow>(row, t),
    credential: row[layout.credentialId] === null ? null : pick<CredentialRow>(row, c),
  }
}
