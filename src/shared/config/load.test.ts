import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { loadConfig } from './load.js'
import { agentOptions, serverOptions } from './options.js'

describe('loadConfig', () => {
  it('takes flags, then environment, then defaults, and freezes the result', () => {
    const config = loadConfig(serverOptions, {
      flags: { port: '9000' },
      env: { KEYLESS_PORT: '7000', KEYLESS_DATA_DIR: '/tmp/k' },
    })
    expect(config.port).toBe(9000)
    expect(config.dataDir).toBe('/tmp/k')
    expect(config.host).toBe('127.0.0.1')
    expect(config.issuerUrl).toBe('http://127.0.0.1:9000')
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('lists every problem at once and never echoes a secret', () => {
    let error: unknown
    try {
      loadConfig(agentOptions, {
        env: { KEYLESS_AGENT_CONCURRENCY: 'many', KEYLESS_SERVER_URL: 'ftp://x' },
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(/KEYLESS_AGENT_CONCURRENCY/)
    expect(problems.join('\n')).toMatch(/--token \(or KEYLESS_AGENT_TOKEN\) is required/)
  })

  const serverCases: ReadonlyArray<[string, readonly string[]]> = [
    ['https://a.example.com', ['https://a.example.com']],
    [
      'https://a.example.com, https://b.example.com,',
      ['https://a.example.com', 'https://b.example.com'],
    ],
    ['http://a:8080,http://a:8080,http://b:8080', ['http://a:8080', 'http://b:8080']],
  ]
  it.each(serverCases)('takes the agent replicas %s as %j', (raw, servers) => {
    const config = loadConfig(agentOptions, { flags: { server: raw, token: 't' }, env: {} })
    expect(config.server).toEqual(servers)
  })

  it('names the bad entry of a replica list', () => {
    expect(() =>
      loadConfig(agentOptions, {
        flags: { server: 'https://a.example.com,ftp://user:pw@b', token: 't' },
        env: {},
      }),
    ).toThrow(/--server: must be absolute http\(s\) URLs, comma-separated \(entry 2 is not\)/u)
    expect(() =>
      loadConfig(agentOptions, { flags: { server: ' , ', token: 't' }, env: {} }),
    ).toThrow(/at least one http\(s\) URL/u)
  })

  it('refuses a non-https issuer that is not loopback', () => {
    expect(() =>
      loadConfig(serverOptions, { env: { KEYLESS_ISSUER_URL: 'http://keyless.example.com' } }),
    ).toThrow(/must be https/)
  })
})
