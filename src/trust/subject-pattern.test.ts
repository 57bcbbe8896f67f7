import { describe, expect, it } from 'vitest'
import { analyzeSubjectPattern } from './subject-pattern.js'

const O = 'org_1a2b3c'
const P = 'prj_4d5e6f'
const E = 'env_7g8h9i'

describe('analyzeSubjectPattern (default ID-based template)', () => {
  it.each([
    ['*', true, true, 'any', {}],
    ['?*', true, true, 'any', {}],
    [`org:${O}:*`, true, true, 'organization', { organizationId: O }],
    [`org:${O}:project:*`, true, true, 'organization', { organizationId: O }],
    [`org:${O}:project:${P}:*`, true, true, 'project', { organizationId: O, projectId: P }],
    [`org:${O}:project:${P}*`, true, true, 'organization', { organizationId: O }],
    [
      `org:${O}:project:*:environment:${E}:type:*`,
      true,
      true,
      'environment',
      { organizationId: O, environmentId: E },
    ],
    [
      `org:${O}:project:*:type:deploy`,
      true,
      true,
      'organization',
      { organizationId: O, deploymentType: 'deploy' },
    ],
    [
      `org:${O}:project:${P}:environment:${E}:type:deploy`,
      false,
      true,
      'environment',
      { organizationId: O, projectId: P, environmentId: E, deploymentType: 'deploy' },
    ],
    [`org:${O}:project:${P}:environment:${E}:type:apply`, false, false, 'any', {}],
    [`org:${O}:env:${E}:*`, true, false, 'any', {}],
    ['repo:acme/app:ref:refs/heads/main', false, false, 'any', {}],
    ['repo:acme/*', true, false, 'any', {}],
    [`org:${O}:project:${P}:environment:*:type:*`, false, false, 'any', {}],
  ])('%s (like=%s) fits=%s scope=%s', (value, like, fits, scope, pinned) => {
    const a = analyzeSubjectPattern(value, like)
    expect(a.fits).toBe(fits)
    expect(a.scope).toBe(scope)
    expect(a.pinned).toEqual(pinned)
  })

  it('admits the pinned deployment type only', () => {
    expect(analyzeSubjectPattern(`org:${O}:*:type:plan`, true).deploymentTypes).toEqual(['plan'])
    expect(analyzeSubjectPattern(`org:${O}:*`, true).deploymentTypes).toHaveLength(4)
  })

  it('reads a custom template', () => {
    const t = 'v2/{organizationId}/{projectId}/{environmentId}/{deploymentType}'
    expect(analyzeSubjectPattern(`v2/${O}/${P}/*`, true, t)).toMatchObject({
      fits: true,
      scope: 'project',
    })
    expect(analyzeSubjectPattern(`org:${O}:*`, true, t).fits).toBe(false)
  })
})
