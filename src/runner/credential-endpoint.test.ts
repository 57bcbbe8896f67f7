import { fromHttp } from '@aws-sdk/credential-providers'
import { afterAll, describe, expect, it } from 'vitest'
import { startCredentialEndpoint, type RunningEndpoint } from './credential-endpoint.js'

describe('credential endpoint (container-credentials format)', () => {
  let served = 0
  const expiration = new Date(Date.UTC(2030, 0, 1, 12, 0, 0))
  let endpoint: RunningEndpoint
  afterAll(async () => {
    await endpoint.close()
  })

  it('is read by the AWS SDK for JavaScript exactly as an ECS/EKS endpoint', async () => {
    endpoint = await startCredentialEndpoint({
      authorizationToken: 'auth-token-1',
      current: () => {
        served += 1
        return Promise.resolve({
          accessKeyId: `ASIAKEY${served}`,
          secretAccessKey: 'secret',
          sessionToken: 'session',
          expiration,
          roleArn: 'arn:aws:sts::123456789012:assumed-role/r/dep_1',
        })
      },
    })
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/credentials$/)
    const provider = fromHttp({
      awsContainerCredentialsFullUri: endpoint.url,
      awsContainerAuthorizationToken: 'auth-token-1',
    })
    const creds = await provider()
    expect(creds).toMatchObject({
      accessKeyId: 'ASIAKEY1',
      secretAccessKey: 'secret',
      sessionToken: 'session',
      expiration,
    })
  })

  it('refuses a wrong or missing authorization token, and other paths', async () => {
    const wrong = await fetch(endpoint.url, { headers: { authorization: 'nope' } })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('ASIA')
    expect((await fetch(endpoint.url)).status).toBe(401)
    expect((await fetch(endpoint.url.replace('/v1/credentials', '/'))).status).toBe(404)
  })
})
