import { issuerRespelled } from './rules/az01-issuer-respelled.js'
import { subjectCase } from './rules/az02-subject-case.js'
import { subjectUnreachable } from './rules/az03-subject-unreachable.js'
import { audienceMismatch } from './rules/az04-audience.js'
import { tooMany } from './rules/az05-too-many.js'
import type { AzureLintRule } from './types.js'

/** Every rule of the federated-credential lint, in id order (docs/lint-rules.md, "Azure"). */
export const AZURE_LINT_RULES: readonly AzureLintRule[] = [
  issuerRespelled,
  subjectCase,
  subjectUnreachable,
  audienceMismatch,
  tooMany,
]
