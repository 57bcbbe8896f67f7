import { subjectTooLong } from '../../setup/gcp/subjects.js'
import type { GcpLintRule } from '../types.js'

/** As long as keyless's ids get (`prj_` and 21 characters). */
const LONG_ID = (prefix: string): string => `${prefix}_${'x'.repeat(21)}`

/** GCP03: google.subject is the token's sub, and the subject template can exceed 127 bytes. */
export const subjectTooLongRule: GcpLintRule = {
  id: 'GCP03',
  name: 'subject-too-long',
  severity: 'error',
  title:
    "google.subject is the token's sub, and the subject template renders over 127 bytes with long ids: Google refuses those exchanges.",
  check(ctx) {
    return ctx.providers.flatMap((p) => {
      const source = p.attributeMapping['google.subject']
      if (typeof source !== 'string' || !/\bassertion\.sub\b/u.test(source)) return []
      const long = subjectTooLong(
        {
          projectNumber: '0',
          gcpProjectId: '',
          poolId: p.label,
          providerId: '',
          serviceAccountEmail: null,
          audience: '',
          subjectTemplate: ctx.subjectTemplate,
          scopes: [
            {
              projectId: LONG_ID('prj'),
              environmentId: LONG_ID('env'),
              templateId: LONG_ID('tpl'),
            },
          ],
        },
        ctx.options.organizationId ?? LONG_ID('org'),
      )
      if (long === null) return []
      return [
        {
          message: `${p.label}: google.subject = ${source}, and under the subject template ${ctx.subjectTemplate} a token's sub reaches ${long.bytes} bytes (ids at their longest, e.g. ${long.subject}); Google keeps at most 127 and refuses the exchange.`,
          statement: p.label,
          key: 'attributeMapping',
          fix:
            long.suggestedTemplate === null
              ? 'Map google.subject to a shorter claim (assertion.environmentId), or use shorter ids.'
              : `Give the credential the subject template ${long.suggestedTemplate} (PATCH /api/v1/credentials/{id} {"subjectTemplate": …}), or map google.subject to assertion.environmentId.`,
        },
      ]
    })
  },
}
