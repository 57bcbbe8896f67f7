/** The explainer of each cloud `keyless explain --cloud` knows; a new cloud adds one line. */
import { KeylessError } from '../../shared/errors.js'
import { awsExplainer } from './aws/explainer.js'
import { azureExplainer } from './azure/explainer.js'
import { gcpExplainer } from './gcp/explainer.js'
import { EXPLAIN_CLOUDS, type CloudExplainer, type ExplainCloud } from './cloud.js'

const EXPLAINERS: Readonly<Partial<Record<ExplainCloud, CloudExplainer>>> = {
  aws: awsExplainer,
  azure: azureExplainer,
  gcp: gcpExplainer,
}

export function explainerFor(cloud: string): CloudExplainer {
  if (!(EXPLAIN_CLOUDS as readonly string[]).includes(cloud))
    throw new KeylessError(
      'usage_error',
      `--cloud must be one of ${EXPLAIN_CLOUDS.join(', ')} (got ${JSON.stringify(cloud)})`,
    )
  const explainer = EXPLAINERS[cloud as ExplainCloud]
  if (explainer === undefined)
    throw new KeylessError('usage_error', `explain --cloud ${cloud} is not available yet`)
  return explainer
}
