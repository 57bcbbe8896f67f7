/** The ARN STS gives an assumed-role session: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
export function assumedRoleArnOf(
  partition: string,
  accountId: string,
  roleName: string,
  roleSessionName: string,
): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${roleSessionName}`
}
