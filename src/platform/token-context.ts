import type { RunPhase } from '../shared/contracts/common.js'
import { z } from 'zod'
import {
  cloudSchema,
  deploymentTypeSchema,
  type Cloud,
  type DeploymentStatus,
  type RoleSource,
} from '../shared/contracts/common.js'
import { KeylessError } from '../shared/errors.js'
import type { DeploymentRow } from '../store/platform-tables.js'
import type { TokenContext } from '../shared/token-context.js'
import { auditStatement } from './audit.js'
import type { PlatformContext } from './context.js'
import { groupCommitStatements } from './group-commit.js'
import { loadDeployment, loadEnvironment } from './lookup.js'
import { loadDeploymentRows, type DeploymentRows } from './mint-rows.js'
import { AZURE_DEFAULT_SUBJECT_TEMPLATE } from '../shared/subject-template.js'
import { prepared, type Statement } from './prepared.js'
import { emailOf } from './deployments.js'
import { canSee, notFound, requireRole, type Principal } from './principal.js'
import { completeResolution, resolveEnvironment, userTagOf, type Resolution } from './resolution.js'
import { parseInput } from './validation.js'
import { redactClaims, redactString } from '../shared/redact.js'

/** What a mint needs from the platform: the token context plus what the audit log records. */
export interface MintPlan {
  readonly context: TokenContext
  /** The cloud the token is for. */
  readonly cloud: Cloud
  readonly mode: 'agent' | 'manual'
  readonly organizationId: string
  readonly deploymentId: string
  readonly roleArn: string | null
  readonly roleSource: RoleSource | null
  readonly credentialId: string | null
  readonly durationSeconds: number | null
  /** The values of the sensitive variables in scope: never shown in a preview or stored claims. */
  readonly sensitiveValues: readonly string[]
  /** An agent's mint in a run phase the deployment is not in yet: stored with the mint's rows. */
  readonly newRunPhase?: RunPhase
}

/** The parts of a minted token the audit log keeps (never the token itself). */
export interface MintRecord {
  readonly jti: string
  readonly kid: string
  readonly claims: Readonly<Record<string, unknown>>
  /** `JSON.stringify(claims)`, when the minter kept it (stored as is when nothing is redacted). */
  readonly claimsJson?: string
  readonly claimsDigest: string
  readonly issuedAt: Date
  readonly expiresAt: Date
  readonly omittedTags: ReadonlyArray<{ readonly key: string; readonly reason: string }>
}

const storeRunPhase = prepared((db, slot) =>
  db
    .updateTable('deployments')
    .set({ run_phase: slot(0) })
    .where('id', '=', slot(1)),
)

const storeClaims = prepared((db, slot) =>
  db
    .updateTable('deployments')
    .set({ last_token_claims: slot(0), updated_at: slot(1) })
    .where('id', '=', slot(2)),
)

/** A deployment of another organization is reported as not found, like `loadDeployment`. */
function visibleDeployment(row: DeploymentRow, principal: Principal): DeploymentRow {
  if (!canSee(principal, row.organization_id)) throw notFound('deployment', row.id)
  return row
}

export const previewQuerySchema = z.strictObject({
  type: deploymentTypeSchema.default('deploy'),
  /** The cloud whose token to preview (its credential's audience and subject). */
  cloud: cloudSchema.default('aws'),
})

function buildContext(
  r: Resolution,
  deployment: { id: string; type: TokenContext['deploymentType']; deployerEmail: string },
  cloud: Cloud,
): TokenContext {
  const userTag = userTagOf(r)
  const oidc = cloudOidc(r, cloud)
  return {
    organizationId: r.organization.id,
    organizationName: r.organization.name,
    projectId: r.project.id,
    projectName: r.project.name,
    templateId: r.template.id,
    templateName: r.template.name,
    environmentId: r.environment.id,
    environmentName: r.environment.name,
    deploymentId: deployment.id,
    deploymentType: deployment.type,
    deployerEmail: deployment.deployerEmail,
    ...(userTag === undefined ? {} : { userTag }),
    ...oidc,
  }
}

/** The audience, subject template and session tags of a cloud's token (docs/architecture.md §3). */
function cloudOidc(
  r: Resolution,
  cloud: Cloud,
): Pick<TokenContext, 'cloud' | 'audience' | 'subjectTemplate' | 'sessionTags'> {
  if (cloud === 'aws')
    return {
      audience: r.organization.audience,
      subjectTemplate: r.credential?.subject_template ?? r.organization.subject_template,
      sessionTags: r.credential === null ? true : r.credential.session_tags !== 0,
    }
  const credential = cloud === 'azure' ? r.azure : r.gcp
  if (credential === null)
    throw new KeylessError(
      'no_cloud_credential',
      `project ${r.project.id} has no ${cloud} credential assigned; assign one (PUT /api/v1/projects/${r.project.id}/credentials/{credentialId}) before asking for its token`,
      { cloud, projectId: r.project.id },
    )
  return {
    cloud,
    audience: credential.audience ?? '',
    subjectTemplate:
      credential.subject_template ??
      (cloud === 'azure' ? AZURE_DEFAULT_SUBJECT_TEMPLATE : r.organization.subject_template),
    sessionTags: false,
  }
}

/** The credential of the cloud a mint is for. */
function credentialOf(r: Resolution, cloud: Cloud) {
  return cloud === 'aws' ? r.credential : cloud === 'azure' ? r.azure : r.gcp
}

function roleFields(
  r: Resolution,
  cloud: Cloud,
): Pick<
  MintPlan,
  'cloud' | 'roleArn' | 'roleSource' | 'credentialId' | 'durationSeconds' | 'sensitiveValues'
> {
  const credential = credentialOf(r, cloud)
  return {
    cloud,
    sensitiveValues: [...r.variables.values()].filter((v) => v.sensitive).map((v) => v.value),
    roleArn: cloud === 'aws' && r.role?.ok === true ? r.role.roleArn : null,
    roleSource: cloud === 'aws' ? (r.role?.source ?? null) : null,
    credentialId: credential?.id ?? null,
    durationSeconds: credential?.duration_seconds ?? null,
  }
}

/** The rows of a mint for one cloud as a resolution's credentials (the others are not read). */
function forCloud(rows: DeploymentRows, cloud: Cloud): Omit<Resolution, 'variables' | 'role'> {
  const { deployment: _d, credential, ...rest } = rows
  return {
    ...rest,
    credential: cloud === 'aws' ? credential : null,
    azure: cloud === 'azure' ? credential : null,
    gcp: cloud === 'gcp' ? credential : null,
  }
}

interface MintWrite {
  readonly requester: Principal
  readonly plan: MintPlan
  readonly minted: MintRecord
}

/** The audit row of a mint, its run phase and the claims stored on its deployment. */
function mintStatements(
  ctx: PlatformContext,
  { requester, plan, minted }: MintWrite,
): readonly Statement[] {
  const audit = auditStatement(ctx, requester, {
    action: plan.mode === 'agent' ? 'token.minted' : 'token.minted_manually',
    organizationId: plan.organizationId,
    deploymentId: plan.deploymentId,
    details: {
      mode: plan.mode,
      jti: minted.jti,
      kid: minted.kid,
      claimsDigest: minted.claimsDigest,
      sub: minted.claims['sub'] ?? null,
      aud: minted.claims['aud'] ?? null,
      cloud: plan.cloud,
      runPhase: minted.claims['runPhase'] ?? null,
      issuedAt: minted.issuedAt.toISOString(),
      expiresAt: minted.expiresAt.toISOString(),
      roleArn: plan.roleArn === null ? null : redactString(plan.roleArn, plan.sensitiveValues),
      roleSource: plan.roleSource,
      roleSessionName: plan.deploymentId,
      credentialId: plan.credentialId,
      omittedTags: minted.omittedTags.map((t) => ({ key: t.key, reason: t.reason })),
      requester:
        requester.kind === 'agent'
          ? { agentTokenId: requester.id }
          : requester.kind === 'system'
            ? null
            : { keyId: requester.id, email: requester.email },
    },
  })
  const stored = redactClaims(minted.claims, plan.sensitiveValues)
  // Nothing redacted (the same object back): the text already serialized for the token.
  const text =
    stored === minted.claims && minted.claimsJson !== undefined
      ? minted.claimsJson
      : JSON.stringify(stored)
  return [
    audit,
    ...(plan.newRunPhase === undefined
      ? []
      : [{ query: storeRunPhase, args: [plan.newRunPhase, plan.deploymentId] }]),
    { query: storeClaims, args: [text, ctx.now(), plan.deploymentId] },
  ]
}

export function tokenContextService(ctx: PlatformContext) {
  const writeMint = groupCommitStatements(ctx, (mint: MintWrite) => mintStatements(ctx, mint))
  return {
    /**
     * Checks that `requester` may mint a token for the deployment now and builds its context.
     * Agent: only a running deployment it holds. API key: admin of the organization (or the
     * owner), deployment queued, claimed or running. Refused while the organization has stopped
     * minting (`minting_stopped`).
     */
    tokenContext: async (
      deploymentId: string,
      requester: Principal,
      runPhase?: RunPhase,
      cloud: Cloud = 'aws',
    ): Promise<MintPlan> => {
      // One joined read; when it finds nothing, the table-by-table path names what is missing.
      const rows = await loadDeploymentRows(ctx.db, deploymentId, cloud)
      const row =
        rows === undefined
          ? await loadDeployment(ctx.db, requester, deploymentId)
          : visibleDeployment(rows.deployment, requester)
      const status = row.status as DeploymentStatus
      let mode: MintPlan['mode']
      if (requester.kind === 'agent') {
        mode = 'agent'
        if (row.claimed_by !== requester.id)
          throw new KeylessError(
            'lease_lost',
            `this agent does not hold deployment ${deploymentId}`,
          )
        if (status !== 'running')
          throw new KeylessError(
            'invalid_state',
            `deployment ${deploymentId} is ${status}; tokens are minted only for a running deployment`,
            { status },
          )
      } else {
        mode = 'manual'
        requireRole(requester, row.organization_id, 'admin', 'deployment', deploymentId)
        if (status !== 'queued' && status !== 'claimed' && status !== 'running')
          throw new KeylessError(
            'invalid_state',
            `deployment ${deploymentId} is ${status}; tokens are minted only for a queued or running deployment`,
            { status },
          )
      }
      const type = row.type as TokenContext['deploymentType']
      const resolution =
        rows === undefined
          ? await resolveEnvironment(ctx.db, row.environment_id, type)
          : await completeResolution(ctx.db, forCloud(rows, cloud), type)
      if (resolution.organization.minting_stopped !== 0)
        throw new KeylessError(
          'minting_stopped',
          `organization ${row.organization_id} has stopped all token minting (incident switch); an admin can resume it with PATCH /api/v1/organizations/${row.organization_id} {"mintingStopped":false}`,
        )
      return {
        context: {
          ...buildContext(
            resolution,
            {
              id: row.id,
              type: row.type as TokenContext['deploymentType'],
              deployerEmail: row.deployer_email,
            },
            cloud,
          ),
          ...(runPhase === undefined ? {} : { runPhase }),
        },
        mode,
        organizationId: row.organization_id,
        deploymentId: row.id,
        ...roleFields(resolution, cloud),
        // Written in the mint's own transaction (no commit of its own), and only when it mints.
        ...(mode === 'agent' && runPhase !== undefined && row.run_phase !== runPhase
          ? { newRunPhase: runPhase }
          : {}),
      }
    },

    /**
     * Writes the mint to the audit log (jti, kid, claims digest, role, RoleSessionName …), in a
     * transaction shared with the mints that finish at the same time (src/platform/group-commit.ts);
     * resolves once it has committed.
     */
    recordMint: (requester: Principal, plan: MintPlan, minted: MintRecord): Promise<void> =>
      writeMint({ requester, plan, minted }),

    /** The context the next deployment of an environment would get (for `oidc-preview`). */
    previewContext: async (
      principal: Principal,
      environmentId: string,
      query: z.input<typeof previewQuerySchema> = {},
    ): Promise<MintPlan> => {
      const q = parseInput(previewQuerySchema, query, 'query')
      const env = await loadEnvironment(ctx.db, principal, environmentId)
      requireRole(principal, env.organization_id, 'viewer', 'environment', environmentId)
      const resolution = await resolveEnvironment(ctx.db, env.id, q.type)
      return {
        context: buildContext(
          resolution,
          {
            id: '<deploymentId>',
            type: q.type,
            deployerEmail: emailOf(ctx, principal),
          },
          q.cloud,
        ),
        mode: 'manual',
        organizationId: env.organization_id,
        deploymentId: '<deploymentId>',
        ...roleFields(resolution, q.cloud),
      }
    },
  }
}
