/** IAM role ARN helpers. Partitions accepted: aws, aws-cn, aws-us-gov. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const
export type Partition = (typeof PARTITIONS)[number]

export interface RoleArn {
  readonly partition: Partition
  readonly accountId: string
  /** Path with leading and trailing slash, `/` when none. */
  readonly path: string
  readonly roleName: string
}

const ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role((?:\/[\u0021-\u007E]+)*\/)?([\w+=,.@-]{1,64})$/u
const ROLE_ARN_SHORT = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(.+)$/u

/** Parses an IAM role ARN, or returns undefined when it is not one. */
export function parseRoleArn(arn: string): RoleArn | undefined {
  if (arn.length > 2048) return undefined
  const short = ROLE_ARN_SHORT.exec(arn)
  if (!short) return undefined
  const full = ROLE_ARN.exec(arn)
  if (!full) return undefined
  const [, partition, accountId, path, roleName] = full
  if (partition === undefined || accountId === undefined || roleName === undefined) return undefined
  return { partition: partition as Partition, accountId, path: path ?? '/', roleName }
}

export function isRoleArn(arn: string): boolean {
  return parseRoleArn(arn) !== undefined
}

export function formatRoleArn(role: RoleArn): string {
  return `arn:${role.partition}:iam::${role.accountId}:role${role.path}${role.roleName}`
}
