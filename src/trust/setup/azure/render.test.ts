import { parse as parseHcl } from '@cdktf/hcl2json'
import { describe, expect, it } from 'vitest'
import type { AzureSetupInput } from './model.js'
import { planAzureSetup } from './plan.js'
import { azureSetupJson, renderAzureSetup, type AzureSetupFormat } from './render.js'

const ORG = 'org_a1b2c3d4e5f6g7h8'
const ISSUER = 'https://keyless.example.com'
const APP = '11111111-2222-4333-8444-555555555555'
const PLAN_APP = '66666666-7777-4888-9999-aaaaaaaaaaaa'
const MI = `/subscriptions/99999999-8888-4777-8666-555555555555/resourceGroups/rg-deploy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-deploy`
const SUBJECT = `org:${ORG}:project:prj_one:environment:env_1`
const input = (patch: Partial<AzureSetupInput> = {}): AzureSetupInput => ({
  organizationId: ORG,
  issuer: ISSUER,
  credentials: [
    {
      credentialId: 'crd_azure',
      name: 'azure',
      clientId: APP,
      audience: `azure:${ORG}`,
      scopes: [{ projectId: 'prj_one', environmentId: 'env_1' }],
    },
  ],
  ...patch,
})
const render = (i: AzureSetupInput, format: AzureSetupFormat): string =>
  renderAzureSetup(planAzureSetup(i), format)

describe('setup azure: Terraform', () => {
  it('app registrations: a data source per application and one resource per FIC', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed HCL is read loosely
    const tf = (await parseHcl('main.tf', render(input(), 'terraform'))) as any
    expect(tf.data.azuread_application).toEqual({ app_11111111: [{ client_id: APP }] })
    const resources = tf.resource.azuread_application_federated_identity_credential
    expect(Object.keys(resources)).toEqual([
      'keyless-project-prj_one-environment-env_1'.replace(/-/gu, '_'),
    ])
    expect(Object.values(resources)[0]).toEqual([
      {
        application_id: '${data.azuread_application.app_11111111.id}',
        display_name: 'keyless-project-prj_one-environment-env_1',
        description:
          'keyless: environment env_1 (project prj_one); deploy, destroy, plan, task deployments; run phase plan, apply, task',
        issuer: ISSUER,
        subject: SUBJECT,
        audiences: [`azure:${ORG}`],
      },
    ])
  })

  it('managed identities: azurerm_federated_identity_credential under the identity', async () => {
    const i = input({ target: 'managed-identity', identities: { [APP]: MI } })
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed HCL is read loosely
    const tf = (await parseHcl('main.tf', render(i, 'terraform'))) as any
    expect(tf.data).toBeUndefined()
    expect(Object.values(tf.resource.azurerm_federated_identity_credential)[0]).toEqual([
      {
        name: 'keyless-project-prj_one-environment-env_1',
        resource_group_name: 'rg-deploy',
        parent_id: MI,
        issuer: ISSUER,
        subject: SUBJECT,
        audience: [`azure:${ORG}`],
      },
    ])
  })

  it('two applications: resource names stay distinct; ${ and %{ are escaped', async () => {
    const i = input({
      credentials: [{ ...input().credentials[0]!, planClientId: PLAN_APP, audience: 'a${b}%{c}' }],
    })
    const text = render(i, 'terraform')
    expect(text).toContain('"a$${b}%%{c}"')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed HCL is read loosely
    const tf = (await parseHcl('main.tf', text)) as any
    expect(Object.keys(tf.data.azuread_application)).toEqual(['app_11111111', 'app_66666666'])
    const resources = tf.resource.azuread_application_federated_identity_credential
    expect(Object.keys(resources)).toHaveLength(2)
    expect(text).toContain(`# application ${PLAN_APP} (plan client of credential azure): 1 of 20`)
  })
})

describe('setup azure: az CLI script', () => {
  it('app registrations: az ad app federated-credential create with the Graph body', () => {
    const text = render(input(), 'cli')
    const line = text.split('\n').find((l) => l.startsWith('az ad app'))
    expect(line).toBe(
      `az ad app federated-credential create --id '${APP}' --parameters '${JSON.stringify({
        name: 'keyless-project-prj_one-environment-env_1',
        issuer: ISSUER,
        subject: SUBJECT,
        description:
          'keyless: environment env_1 (project prj_one); deploy, destroy, plan, task deployments; run phase plan, apply, task',
        audiences: [`azure:${ORG}`],
      })}'`,
    )
    expect(text.startsWith('#!/bin/sh\n')).toBe(true)
    expect(text).toContain('\nset -eu\n')
  })

  it('managed identities: az identity federated-credential create, quoted for the shell', () => {
    const i = input({
      target: 'managed-identity',
      identities: { [APP]: MI },
      credentials: [{ ...input().credentials[0]!, audience: "it's" }],
    })
    expect(render(i, 'cli')).toContain(
      [
        `az identity federated-credential create --name 'keyless-project-prj_one-environment-env_1'`,
        `--identity-name 'mi-deploy' --resource-group 'rg-deploy'`,
        `--subscription '99999999-8888-4777-8666-555555555555' --issuer '${ISSUER}'`,
        `--subject '${SUBJECT}' --audiences 'it'\\''s'`,
      ].join(' \\\n  '),
    )
  })
})

describe('setup azure: JSON', () => {
  it('per application its FICs in the shape Graph creates them', () => {
    const json = JSON.parse(render(input(), 'json'))
    expect(json).toEqual(azureSetupJson(planAzureSetup(input())))
    expect(json.applications[0]).toMatchObject({
      clientId: APP,
      role: 'deploy',
      credentials: [{ id: 'crd_azure', name: 'azure' }],
      count: 1,
      limit: 20,
      managedIdentity: null,
    })
    expect(Object.keys(json.applications[0].federatedIdentityCredentials[0])).toEqual([
      'name',
      'issuer',
      'subject',
      'description',
      'audiences',
    ])
  })
})

describe('setup azure: over the limit', () => {
  it.each(['terraform', 'cli', 'json'] as const)('%s refuses with the reason', (format) => {
    const scopes = Array.from({ length: 21 }, (_, n) => ({
      projectId: 'p',
      environmentId: `e${n}`,
    }))
    const i = input({ credentials: [{ ...input().credentials[0]!, scopes }] })
    expect(() => render(i, format)).toThrow(
      /needs 21 federated identity credentials .* The subject template org:\{organizationId\}:project:\{projectId\} fits \(1, one per project/u,
    )
  })
})
