import { describe, expect, it } from 'vitest'
import type { GcpSetupInput } from './model.js'
import { planGcpSetup } from './plan.js'
import { GCP_SETUP_FORMATS, renderGcpSetup } from './render.js'

const ORG = 'org_a1b2c3d4e5f6g7h8'
const plan = planGcpSetup({
  organizationId: ORG,
  issuer: 'https://keyless.example.com',
  credentials: [
    {
      name: 'gcp',
      projectNumber: '123456789012',
      gcpProjectId: 'my-proj',
      poolId: 'keyless-pool',
      providerId: 'keyless',
      serviceAccountEmail: 'deployer@my-proj.iam.gserviceaccount.com',
      audience: `gcp:${ORG}`,
      subjectTemplate: 'org:{organizationId}:project:{projectId}',
      scopes: [{ projectId: 'prj_one' }],
    },
  ],
} satisfies GcpSetupInput)
const member = `principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/keyless-pool/attribute.organization/${ORG}`

describe('renderGcpSetup', () => {
  const cases: ReadonlyArray<[string, string, readonly string[]]> = [
    [
      'terraform',
      'terraform',
      [
        'resource "google_iam_workload_identity_pool" "pool_123456789012_keyless_pool"',
        'resource "google_iam_workload_identity_pool_provider"',
        'workload_identity_pool_id          = google_iam_workload_identity_pool.pool_123456789012_keyless_pool.workload_identity_pool_id',
        `attribute_condition                = "assertion.organizationId == '${ORG}'"`,
        '"google.subject"         = "assertion.sub"',
        'issuer_uri        = "https://keyless.example.com"',
        `allowed_audiences = ["gcp:${ORG}"]`,
        'resource "google_service_account_iam_member" "deploy_deployer_1"',
        'service_account_id = "projects/my-proj/serviceAccounts/deployer@my-proj.iam.gserviceaccount.com"',
        `member             = "${member}"`,
      ],
    ],
    [
      'gcloud',
      'gcloud',
      [
        "gcloud iam workload-identity-pools create 'keyless-pool' --project='123456789012' --location=global",
        "gcloud iam workload-identity-pools providers create-oidc 'keyless'",
        "--issuer-uri='https://keyless.example.com'",
        "--attribute-mapping='google.subject=assertion.sub,attribute.organization=assertion.organizationId,attribute.project=assertion.projectId,attribute.environment=assertion.environmentId'",
        `--attribute-condition='assertion.organizationId == '\\''${ORG}'\\'''`,
        `gcloud iam service-accounts add-iam-policy-binding 'deployer@my-proj.iam.gserviceaccount.com' --role='roles/iam.workloadIdentityUser' --member='${member}'`,
      ],
    ],
  ]
  it.each(cases)('%s', (_name, format, expected) => {
    const text = renderGcpSetup(plan, format as 'terraform')
    for (const line of expected) expect(text).toContain(line)
  })

  it('json: IAM v1 provider bodies and the bindings', () => {
    const json = JSON.parse(renderGcpSetup(plan, 'json'))
    expect(json.providers[0]).toMatchObject({
      name: 'projects/123456789012/locations/global/workloadIdentityPools/keyless-pool/providers/keyless',
      oidc: { issuerUri: 'https://keyless.example.com', allowedAudiences: [`gcp:${ORG}`] },
      attributeCondition: `assertion.organizationId == '${ORG}'`,
    })
    expect(json.bindings).toEqual([
      {
        serviceAccount: 'projects/my-proj/serviceAccounts/deployer@my-proj.iam.gserviceaccount.com',
        role: 'roles/iam.workloadIdentityUser',
        member,
        use: 'deploy',
      },
    ])
  })

  it('has the formats', () => {
    expect(GCP_SETUP_FORMATS).toEqual(['terraform', 'gcloud', 'json'])
  })
})
