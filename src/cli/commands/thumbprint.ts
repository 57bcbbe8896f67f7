import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { KeylessError } from '../../shared/errors.js'
import {
  choiceOption,
  computeThumbprint,
  intOption,
  processIo,
  type CommandIo,
} from '../../trust/index.js'

interface ThumbprintFlags {
  readonly caFile?: string
  readonly timeoutMs?: string
  readonly format: string
}

/**
 * `keyless thumbprint URL`: the OIDC provider thumbprint AWS asks for (docs/aws-behaviour.md §16).
 */
export function register(program: Command, io: CommandIo = processIo): void {
  program
    .command('thumbprint')
    .description(
      'The thumbprint AWS asks for when an OIDC provider is created: SHA-1 of the last certificate served by the jwks_uri host',
    )
    .argument('<url>', 'issuer URL (or its /.well-known/openid-configuration URL)')
    .option(
      '--ca-file <file>',
      'PEM file of extra CAs to trust for the discovery fetch (private or test CA)',
    )
    .option('--timeout-ms <ms>', 'timeout of each network step', '5000')
    .option('--format <format>', 'text or json', 'text')
    .action(async (url: string, flags: ThumbprintFlags) => {
      choiceOption(flags.format, '--format', ['text', 'json'])
      let ca: string | undefined
      if (flags.caFile !== undefined) {
        try {
          ca = await readFile(flags.caFile, 'utf8')
        } catch {
          throw new KeylessError('input_unreadable', `cannot read --ca-file ${flags.caFile}`)
        }
      }
      const result = await computeThumbprint(url, {
        ...(ca === undefined ? {} : { ca }),
        timeoutMs: intOption(flags.timeoutMs, '--timeout-ms', 100, 60000) ?? 5000,
      })
      if (flags.format === 'json') io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      else
        io.stdout.write(
          [
            result.thumbprint,
            `  of ${result.certificate.subject.replace(/\n/gu, ', ')} (issued by ${result.certificate.issuer.replace(/\n/gu, ', ')}, valid to ${result.certificate.validTo})`,
            `  the last of ${result.chain.length} certificate(s) served by ${result.jwksHost} (jwks_uri ${result.jwksUri})`,
            '  AWS uses it only when the JWKS certificate does not chain to a CA it trusts.',
            '',
          ].join('\n'),
        )
    })
}
