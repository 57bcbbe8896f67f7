/** `keyless setup gcp`: plan, render and apply workload identity federation for Google Cloud. */
export { planGcpSetup, WORKLOAD_IDENTITY_USER } from './plan.js'
export {
  assertGcpFits,
  gcpSetupJson,
  providerBody,
  renderGcpSetup,
  serviceAccountName,
  GCP_SETUP_FORMATS,
  type GcpSetupFormat,
} from './render.js'
export { GCP_ATTRIBUTE_MAPPING, organizationCondition } from './provider.js'
export { gcpSubjects, subjectTooLong, LONGEST_DEPLOYMENT_ID } from './subjects.js'
export type * from './model.js'
export {
  applyGcpSetup,
  iamCall,
  readIam,
  type GcpApplyResult,
  type GcpConnection,
} from './apply.js'
export { providerDifferences } from './compare.js'
export { directAccessNote, gatherGcpSetup, type GatheredGcpSetup } from './gather.js'
