import type { Command } from 'commander'
import { IssuerPublisher, publicationTarget } from '../../idp/publication/index.js'
import { createLogger } from '../../shared/logger.js'
import { openProvider, withStoreOptions, type KeysFlags } from './keys.js'

interface PublishFlags extends KeysFlags {
  readonly to: string
  readonly s3EndpointUrl?: string
  readonly s3Region?: string
}

/** `keyless issuer publish --to DIR|s3://bucket/prefix`: a static copy of the issuer. */
export function register(program: Command): void {
  const issuer = program
    .command('issuer')
    .description('The OIDC issuer as static files, for control planes in private networks')
  withStoreOptions(issuer.command('publish'))
    .description(
      'Write the discovery document and the JWKS to DIR or s3://bucket/prefix, where --issuer-url serves them (keyless server --publish-issuer keeps them current)',
    )
    .requiredOption('--to <target>', 'a directory or s3://bucket/prefix')
    .option('--issuer-url <url>', 'the public location of the copy (default KEYLESS_ISSUER_URL)')
    .option('--s3-endpoint-url <url>', 'an S3-compatible endpoint (path-style addressing)')
    .option('--s3-region <region>', 'region of the bucket', 'us-east-1')
    .action((flags: PublishFlags) => publish(flags))
}

async function publish(flags: PublishFlags): Promise<void> {
  const target = publicationTarget(flags.to, {
    region: flags.s3Region ?? 'us-east-1',
    ...(flags.s3EndpointUrl === undefined ? {} : { endpointUrl: flags.s3EndpointUrl }),
  })
  const { idp, close } = await openProvider(flags, false)
  try {
    const logger = createLogger({ level: 'warn', name: 'keyless-issuer' }, process.stderr)
    await new IssuerPublisher({ idp, target, logger }).publishNow()
    const keys = (await idp.jwks()).keys.length
    process.stdout.write(
      `published the issuer ${idp.issuer} (discovery document and ${keys} key${keys === 1 ? '' : 's'}) to ${target.name}\n`,
    )
  } finally {
    await close()
  }
}
