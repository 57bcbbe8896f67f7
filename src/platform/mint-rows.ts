import type {
  CredentialRow,
  DeploymentRow,
  EnvironmentRow,
  OrganizationRow,
  ProjectRow,
  TemplateRow,
} from '../store/platform-tables.js'
import type { Cloud } from '../shared/contracts/common.js'
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

function part<R>(row: Record<string, unknown>, alias: string, cols: ReadonlyArray<string>): R {
  const out: Record<string, unknown> = {}
  for (const c of cols) out[c] = row[`${alias}__${c}`]
  return out as R
}

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

// The query's columns are fixed: the deployment's (unprefixed) are listed once, from the first
// row (a row of ~90 columns is a slow object to take apart with Object.entries on every mint).
let deploymentColumns: readonly string[] | undefined
function deploymentColumnsOf(row: Record<string, unknown>): readonly string[] {
  deploymentColumns ??= Object.keys(row).filter((k) => !k.includes('__'))
  return deploymentColumns
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
  const row = (await joined(db, [deploymentId, cloud]))[0] as Record<string, unknown> | undefined
  if (row === undefined) return undefined
  const deployment: Record<string, unknown> = {}
  for (const k of deploymentColumnsOf(row)) deployment[k] = row[k]
  return {
    deployment: deployment as unknown as DeploymentRow,
    environment: part<EnvironmentRow>(row, 'e', ENVIRONMENT),
    organization: part<OrganizationRow>(row, 'o', ORGANIZATION),
    project: part<ProjectRow>(row, 'p', PROJECT),
    template: part<TemplateRow>(row, 't', TEMPLATE),
    credential: row['c__id'] === null ? null : part<CredentialRow>(row, 'c', CREDENTIAL),
  }
}
