/** Steps 1–3: the form, the tenant, the client (docs/emulator.md, "Azure: order of checks"). */
import { azureMessages } from '../errors.js'
import { fail, pass, type AzureStep } from '../step.js'

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export const requestStep: AzureStep = {
  name: 'request',
  check({ request, facts }) {
    const form = request.form
    for (const field of ['grant_type', 'client_id']) {
      if ((form[field] ?? '') === '')
        return fail(
          'request-invalid',
          900144,
          azureMessages.missingParameter(field),
          `the form has no ${field}`,
        )
    }
    const grant = form['grant_type'] ?? ''
    if (grant !== 'client_credentials')
      return fail(
        'grant-unsupported',
        70003,
        azureMessages.badGrant(grant),
        `grant_type ${grant} (only client_credentials with a client assertion)`,
      )
    if ((form['scope'] ?? '') === '' && (form['resource'] ?? '') === '')
      return fail(
        'request-invalid',
        900144,
        azureMessages.missingParameter('scope'),
        'the form has no scope',
      )
    if (form['client_assertion_type'] !== JWT_BEARER)
      return fail(
        'request-invalid',
        900144,
        azureMessages.missingParameter('client_assertion_type'),
        `client_assertion_type is ${JSON.stringify(form['client_assertion_type'] ?? null)}, not ${JWT_BEARER}`,
      )
    if ((form['client_assertion'] ?? '') === '')
      return fail(
        'request-invalid',
        900144,
        azureMessages.missingParameter('client_assertion'),
        'the form has no client_assertion',
      )
    facts.clientId = form['client_id'] ?? ''
    return pass(`client_credentials with a client assertion for ${form['client_id'] ?? ''}`)
  },
}

export const tenantStep: AzureStep = {
  name: 'tenant',
  check({ request, world }) {
    if (!world.knowsTenant(request.tenant))
      return fail(
        'tenant-not-found',
        90002,
        azureMessages.noTenant(request.tenant),
        `tenant ${request.tenant} is not ${world.tenantId}`,
      )
    return pass(`tenant ${world.tenantId}`)
  },
}

export const clientStep: AzureStep = {
  name: 'client',
  check({ request, world, facts }) {
    const clientId = facts.clientId ?? ''
    const client = world.client(clientId)
    if (client === undefined)
      return fail(
        'client-not-found',
        700016,
        azureMessages.noApplication(clientId, request.tenant),
        `no application or managed identity with client id ${clientId}`,
      )
    facts.client = client
    return pass(
      `${client.kind} ${client.displayName} (${client.clientId}), ${client.fics.length} federated credential(s)`,
    )
  },
}
