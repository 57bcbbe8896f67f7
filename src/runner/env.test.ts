import { describe, expect, it } from 'vitest'
import { deploymentFixture } from '../../test/e2e/support/fixture.js'
import { buildStepEnv } from './env.js'

const credential = {
  id: 'c',
  type: 'aws-oidc' as const,
  roleArn: 'arn:aws:iam::123456789012:role/deployer',
  roleSource: 'variable:ENV0_AWS_ROLE_ARN' as const,
  durationSeconds: 3600,
  region: 'eu-west-1',
  stsEndpoint: 'http://127.0.0.1:4566',
  sessionTags: true,
  refresh: false,
}
const session = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
  secretAccessKey: 'secret',
  sessionToken: 'session',
  expiration: new Date(Date.UTC(2030, 0, 1)),
  assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deployer/dep_1',
}

describe('buildStepEnv', () => {
  const base = {
    PATH: '/usr/bin',
    HOME: '/home/agent',
    LC_ALL: 'C.UTF-8',
    KEYLESS_AGENT_TOKEN: 'agent-secret',
    AWS_PROFILE: 'admin',
    AWS_SECRET_ACCESS_KEY: 'agent-own-key',
    DATABASE_URL: 'postgres://agent',
  }

  it('passes only the allowlist of the agent environment', () => {
    const { env } = buildStepEnv({
      deployment: deploymentFixture(),
      baseEnv: base,
      workDir: '/w',
      templateDir: '/w/template',
    })
    expect(env['PATH']).toBe('/usr/bin')
    expect(env['HOME']).toBe('/home/agent')
    expect(env['LC_ALL']).toBe('C.UTF-8')
    for (const name of [
      'KEYLESS_AGENT_TOKEN',
      'AWS_PROFILE',
      'AWS_SECRET_ACCESS_KEY',
      'DATABASE_URL',
    ])
      expect(env[name], name).toBeUndefined()
    expect(env['KEYLESS_DEPLOYMENT_ID']).toBe('dep_test0000000000001')
    expect(env['KEYLESS_TEMPLATE_DIR']).toBe('/w/template')
  })

  it('static mode: keys, region, STS endpoint; a variable cannot override them', () => {
    const { env, shadowed } = buildStepEnv({
      deployment: deploymentFixture({
        credential,
        variables: [
          { name: 'AWS_REGION', value: 'us-west-2', sensitive: false },
          { name: 'AWS_PROFILE', value: 'prod', sensitive: false },
          { name: 'APP', value: 'web', sensitive: false },
        ],
      }),
      baseEnv: base,
      workDir: '/w',
      templateDir: '/w',
      aws: { mode: 'static', credentials: session },
      oidcToken: 'the.jwt.token',
      oidcTokenFile: '/w/oidc-token',
    })
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE01',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      KEYLESS_OIDC_TOKEN: 'the.jwt.token',
      ENV0_OIDC_TOKEN: 'the.jwt.token',
      KEYLESS_OIDC_TOKEN_FILE: '/w/oidc-token',
      KEYLESS_ROLE_SOURCE: 'variable:ENV0_AWS_ROLE_ARN',
      KEYLESS_ASSUMED_ROLE_ARN: session.assumedRoleArn,
      APP: 'web',
    })
    expect(env['AWS_PROFILE']).toBeUndefined()
    expect([...shadowed].sort()).toEqual(['AWS_PROFILE', 'AWS_REGION'])
  })

  it('refresh mode: the container endpoint instead of keys', () => {
    const { env } = buildStepEnv({
      deployment: deploymentFixture({
        credential: { ...credential, refresh: true, stsEndpoint: null },
        variables: [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIASTATICKEY', sensitive: true }],
      }),
      baseEnv: base,
      workDir: '/w',
      templateDir: '/w',
      aws: {
        mode: 'endpoint',
        url: 'http://127.0.0.1:1234/v1/credentials',
        authorizationToken: 'auth',
        assumedRoleArn: session.assumedRoleArn,
      },
    })
    expect(env['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe('http://127.0.0.1:1234/v1/credentials')
    expect(env['AWS_CONTAINER_AUTHORIZATION_TOKEN']).toBe('auth')
    expect(env['AWS_ACCESS_KEY_ID']).toBeUndefined()
    expect(env['AWS_ENDPOINT_URL_STS']).toBeUndefined()
    expect(env['AWS_ENDPOINT_URL']).toBeUndefined()
  })

  it.each([
    ['an emulator', 'http://127.0.0.1:4566', [], 'http://127.0.0.1:4566'],
    ['a regional AWS endpoint (STS only)', 'https://sts.eu-west-1.amazonaws.com', [], undefined],
    ['an AWS China endpoint', 'https://sts.cn-north-1.amazonaws.com.cn', [], undefined],
    [
      'an emulator, with the deployment’s own AWS_ENDPOINT_URL',
      'http://127.0.0.1:4566',
      [{ name: 'AWS_ENDPOINT_URL', value: 'http://mine:1', sensitive: false }],
      'http://mine:1',
    ],
  ])('AWS_ENDPOINT_URL for %s', (_name, stsEndpoint, variables, expected) => {
    const { env } = buildStepEnv({
      deployment: deploymentFixture({ credential: { ...credential, stsEndpoint }, variables }),
      baseEnv: base,
      workDir: '/w',
      templateDir: '/w',
      aws: { mode: 'static', credentials: session },
    })
    expect(env['AWS_ENDPOINT_URL_STS']).toBe(stsEndpoint)
    expect(env['AWS_ENDPOINT_URL']).toBe(expected)
  })
})
