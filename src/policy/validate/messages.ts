/**
 * IAM's policy-validation answers as data (docs/aws-behaviour.md §13). Texts marked [O] were
 * observed from AWS, [D] are documented, [U] are IAM's grammar-checker texts used where AWS's exact
 * text is unknown.
 */
export const TRUST_POLICY_QUOTA = 2048

export const messages = {
  /** [O] CreateRole / UpdateAssumeRolePolicy with a trust policy over the ACLSizePerRole quota. */
  trustPolicyTooLarge: (quota: number) => `Cannot exceed quota for ACLSizePerRole: ${quota}`,
  /** [O] Not JSON at all. */
  invalidJson: 'This policy contains invalid Json',
  /** [U] Wrong JSON shape or unknown elements. */
  syntaxErrors: 'Syntax errors in policy.',
  /** [O] A Version other than 2012-10-17 and 2008-10-17. */
  legacyParsing: 'The policy failed legacy parsing',
  /** [U] */
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  /** [O] identity policies: Sid must be alphanumeric. */
  sidCharset:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  /** [U] */
  missingActions: 'Policy statement must contain actions.',
  /** [O] identity policies without Resource. */
  missingResources: 'Policy statement must contain resources.',
  /** [U] same form as the Principal text below. */
  missingEffect: 'Missing required field Effect',
  /** [U] trust policy statement without Principal (S3 answers this text for bucket policies [O]). */
  missingPrincipal: 'Missing required field Principal',
  /** [O] PutRolePolicy with Principal / NotPrincipal. */
  principalInIdentity: 'Policy document should not specify a principal.',
  /** [O] CreateRole with `Resource` in the trust policy; moto adds a trailing period. */
  prohibitedField: (field: string) => `Has prohibited field ${field}`,
  /** [O] */
  invalidPrincipal: (type: string, value: string) =>
    `Invalid principal in policy: "${type}":"${value}"`,
  /** [U] trust policy naming an action that is not an STS assume-role action. */
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
  /** [U] */
  vendorPrefix: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  /** [U] */
  oneColon: 'Actions/Condition can contain only one colon.',
  /** [U] */
  invalidVendor: (vendor: string) => `Vendor ${vendor} is not valid`,
  /** [O] unknown condition operator (CreateRole with `stringEquals`, 2024). */
  invalidConditionType: (operator: string) => `Invalid Condition type : ${operator}`,
  /** [U] */
  conditionKeyVendor: (key: string) =>
    `Condition key ${key} must be prefaced by a vendor, e.g., aws, iam, sts, etc.`,
} as const

/** Actions a trust policy may name (wildcards that only cover these are accepted too). */
export const TRUST_ACTIONS = [
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
] as const
