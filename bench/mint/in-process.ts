import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createIdentityProvider, type ManagedIdentityProvider } from '../../src/idp/index.js'
import { systemClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../../src/shared/subject-template.js'
import type { TokenContext } from '../../src/shared/token-context.js'
import { openStore, type Store } from '../../src/store/database.js'

export const benchContext: TokenContext = {
  organizationId: 'org_0123456789abcdef',
  organizationName: 'Bench organization',
  projectId: 'prj_0123456789abcdef',
  projectName: 'Bench project',
  templateId: 'tpl_0123456789abcdef',
  templateName: 'Bench template',
  environmentId: 'env_0123456789abcdef',
  environmentName: 'production',
  deploymentId: 'dep_0123456789abcdef',
  deploymentType: 'deploy',
  deployerEmail: 'admin@localhost',
  audience: 'aws:org_0123456789abcdef',
  subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
  sessionTags: true,
}

/** An identity provider over a fresh SQLite store, as the server builds it. */
export async function benchProvider(): Promise<{
  idp: ManagedIdentityProvider
  close(): Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-mint-'))
  const store: Store = await openStore({ url: join(dir, 'keyless.db') })
  const idp = await createIdentityProvider({
    issuerUrl: 'http://127.0.0.1:8080',
    store,
    masterKey: randomBytes(32),
    clock: systemClock,
    logger: silentLogger(),
    signingAlg: 'RS256',
    tokenTtlSeconds: 600,
    keyPrepublishSeconds: 3600,
  })
  return {
    idp,
    close: async () => {
      await idp.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
