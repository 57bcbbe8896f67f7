/** The lint of Entra federated identity credentials (docs/lint-rules.md, "Azure"). */
export { lintFics } from './lint.js'
export { readFics, type ReadApplication } from './read.js'
export { AZURE_LINT_RULES } from './rules.js'
export { azureLintJson, azureLintText } from './format.js'
export type {
  AzureFinding,
  AzureLintOptions,
  AzureLintResult,
  AzureLintRule,
  AzureRuleId,
} from './types.js'
