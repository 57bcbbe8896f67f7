import { createHash } from 'node:crypto'

/**
 * A Terraform-shaped state document of about `bytes` bytes: many `aws_instance`-like resources
 * whose attributes carry distinct values (ids, ARNs, addresses, tags, hashes), so that neither
 * compression nor the database sees a run of repeated bytes. `serial` is a placeholder,
 * `__SERIAL__`, that each write replaces.
 */
export function stateDocument(bytes: number, lineage: string): string {
  // The per-resource estimate misses the document's deeper indentation: scale once to land close.
  const first = build(bytes, lineage)
  return build(Math.floor((bytes * bytes) / first.length), lineage)
}

function build(bytes: number, lineage: string): string {
  const resources: unknown[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const h = createHash('sha256').update(`${lineage}/${i}`).digest('hex')
    const resource = {
      mode: 'managed',
      type: 'aws_instance',
      name: `web_${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 1,
          attributes: {
            id: `i-${h.slice(0, 17)}`,
            arn: `arn:aws:ec2:eu-west-1:123456789012:instance/i-${h.slice(0, 17)}`,
            ami: `ami-${h.slice(17, 34)}`,
            instance_type: ['t3.micro', 't3.small', 'm6i.large', 'c7g.xlarge'][i % 4],
            availability_zone: `eu-west-1${'abc'[i % 3]}`,
            private_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            private_dns: `ip-10-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`,
            subnet_id: `subnet-${h.slice(34, 51)}`,
            vpc_security_group_ids: [`sg-${h.slice(51, 64)}`, `sg-${h.slice(0, 13)}`],
            user_data: createHash('sha1').update(h).digest('hex'),
            root_block_device: [
              {
                volume_id: `vol-${h.slice(20, 37)}`,
                volume_size: 8 + (i % 120),
                volume_type: 'gp3',
                encrypted: i % 2 === 0,
                kms_key_id: `arn:aws:kms:eu-west-1:123456789012:key/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
              },
            ],
            tags: { Name: `web-${i}`, Team: `team-${h.slice(40, 46)}`, CostCenter: `${i * 7919}` },
          },
          sensitive_attributes: [],
          dependencies: [`aws_subnet.s_${i % 50}`, `aws_security_group.g_${i % 20}`],
        },
      ],
    }
    resources.push(resource)
    size += JSON.stringify(resource, null, 2).length + 4
  }
  const head = { version: 4, terraform_version: '1.11.0', serial: 0, lineage, outputs: {} }
  return `${JSON.stringify({ ...head, resources }, null, 2)}\n`.replace(
    '"serial": 0',
    '"serial": __SERIAL__',
  )
}
