/** `keyless setup azure`: plan, render and apply the federated identity credentials of Entra. */
export { planAzureSetup } from './plan.js'
export {
  assertFits,
  azureSetupJson,
  graphBody,
  renderAzureSetup,
  AZURE_SETUP_FORMATS,
  type AzureSetupFormat,
} from './render.js'
export { applyAzureSetup, ARM_API_VERSION, type AzureApplyResult } from './apply.js'
export { entraCall, type EntraAnswer, type EntraConnection } from './entra-http.js'
export { diffFics, type ExistingFic, type FicActions } from './diff.js'
export {
  gatherAzureSetup,
  type AzureSelection,
  type AzureSetupSource,
  type GatheredSetup,
} from './gather.js'
export { managedIdentityRef } from './identity.js'
export { runPhasesOf, scopedSubjects, templateOf } from './subjects.js'
export { PER_PROJECT_TEMPLATE } from './fit.js'
export { environmentSubjects, type EnvironmentSubjects } from './environments.js'
export type * from './model.js'
