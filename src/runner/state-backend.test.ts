import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { RunFailure } from './failure-error.js'
import {
  backendInHcl,
  OVERRIDE_FILE,
  prepareStateBackend,
  stateBackendEnv,
} from './state-backend.js'

const HCL_CASES: ReadonlyArray<{ name: string; text: string; found: string | undefined }> = [
  { name: 'no terraform block', text: 'resource "terraform_data" "x" {}', found: undefined },
  {
    name: 'an s3 backend',
    text: 'terraform {\n  backend "s3" {\n    bucket = "b"\n  }\n}',
    found: 'backend "s3" block',
  },
  { name: 'compact', text: 'terraform { backend "local" {} }', found: 'backend "local" block' },
  { name: 'a # comment', text: '# backend "s3" {}\nterraform {}', found: undefined },
  { name: 'a // comment', text: 'terraform {\n  // backend "s3" {}\n}', found: undefined },
  { name: 'a block comment', text: '/* terraform { backend "s3" {} } */', found: undefined },
  { name: 'inside a string', text: 'locals { a = "backend \\"s3\\" {" }', found: undefined },
  { name: 'a cloud block', text: 'terraform {\n  cloud {\n  }\n}', found: 'cloud block' },
  { name: 'a variable named backend', text: 'variable "backend" {}', found: undefined },
]

describe('backend blocks in a template', () => {
  it.each(HCL_CASES)('$name', ({ text, found }) => {
    expect(backendInHcl(text)).toBe(found)
  })
})

function deployment(stateBackend?: 'managed' | 'template'): AgentDeployment {
  return {
    id: 'dep_1',
    type: 'deploy',
    status: 'claimed',
    organizationId: 'org_1',
    organizationName: 'acme',
    projectId: 'prj_1',
    projectName: 'p',
    environmentId: 'env_1',
    environmentName: 'e',
    deployerEmail: 'd@example.com',
    template: {
      id: 'tpl_1',
      name: 'infra',
      type: 'terraform',
      steps: [],
      path: null,
      repository: null,
      ...(stateBackend === undefined ? {} : { stateBackend }),
    },
    variables: [],
    credential: null,
    credentialError: null,
    statePassword: 'state-secret-123',
  }
}

describe('the managed state backend', () => {
  it('passes the addresses and the password through TF_HTTP_* variables', () => {
    expect(stateBackendEnv(deployment(), 'http://cp:8080/')).toEqual({
      TF_HTTP_ADDRESS: 'http://cp:8080/api/v1/environments/env_1/state',
      TF_HTTP_LOCK_ADDRESS: 'http://cp:8080/api/v1/environments/env_1/state/lock',
      TF_HTTP_UNLOCK_ADDRESS: 'http://cp:8080/api/v1/environments/env_1/state/lock',
      TF_HTTP_USERNAME: 'keyless',
      TF_HTTP_PASSWORD: 'state-secret-123',
    })
    expect(stateBackendEnv(deployment('template'), 'http://cp')).toEqual({})
  })

  it('adds the override file, refuses a template backend, leaves `template` alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keyless-backend-'))
    try {
      await writeFile(join(dir, 'main.tf'), 'resource "terraform_data" "x" {}\n')
      expect(await prepareStateBackend(deployment(), dir)).toBe('managed')
      expect(await readFile(join(dir, OVERRIDE_FILE), 'utf8')).toContain('backend "http" {}')

      await writeFile(
        join(dir, 'b.tf.json'),
        JSON.stringify({ terraform: { backend: { gcs: {} } } }),
      )
      const failure = await prepareStateBackend(deployment(), dir).catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(RunFailure)
      expect((failure as RunFailure).failure.code).toBe('state_backend_conflict')
      expect((failure as RunFailure).message).toContain('backend "gcs" block in b.tf.json')
      expect((failure as RunFailure).message).toContain('stateBackend')

      await rm(join(dir, OVERRIDE_FILE))
      expect(await prepareStateBackend(deployment('template'), dir)).toBe('template')
      await expect(readFile(join(dir, OVERRIDE_FILE))).rejects.toThrow()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
