import { describe, expect, it } from 'vitest'
import { buildDiscovery, discoveryUri, jwksUri } from './discovery.js'

describe('discovery document', () => {
  it('is computed in full from the issuer and the algorithms', () => {
    expect(buildDiscovery('https://keyless.example.com', ['RS256'])).toEqual({
      issuer: 'https://keyless.example.com',
      jwks_uri: 'https://keyless.example.com/.well-known/jwks.json',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'iat',
        'nbf',
        'exp',
        'jti',
        'organizationId',
        'organizationName',
        'projectId',
        'projectName',
        'templateId',
        'templateName',
        'environmentId',
        'environmentName',
        'deploymentId',
        'deploymentType',
        'runPhase',
        'deployerEmail',
        'userTag',
        'https://aws.amazon.com/tags',
      ],
    })
  })

  it.each([
    ['https://k.example.com', 'https://k.example.com/.well-known/jwks.json'],
    ['https://k.example.com/', 'https://k.example.com/.well-known/jwks.json'],
    ['https://k.example.com/tenant/', 'https://k.example.com/tenant/.well-known/jwks.json'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/.well-known/jwks.json'],
  ])('issuer %s keeps its trailing slash; jwks_uri is %s', (issuer, jwks) => {
    const doc = buildDiscovery(issuer, ['RS256', 'ES256'])
    expect(doc.issuer).toBe(issuer)
    expect(doc.jwks_uri).toBe(jwks)
    expect(jwksUri(issuer)).toBe(jwks)
    expect(discoveryUri(issuer)).toBe(jwks.replace('jwks.json', 'openid-configuration'))
  })
})
