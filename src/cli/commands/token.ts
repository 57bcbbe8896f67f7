import type { Command } from 'commander'
import {
  choiceOption,
  decodeToken,
  formatDecodedToken,
  processIo,
  readValue,
  type CommandIo,
} from '../../trust/index.js'

/** `keyless token decode JWT|@file|-`: header, claims, times in words, session tags, warnings. */
export function register(program: Command, io: CommandIo = processIo): void {
  const token = program.command('token').description('Inspect OIDC tokens')
  token
    .command('decode')
    .description(
      "Show a token's header and claims, its times in words, its session tags and what AWS would reject; for a token of Azure or Google Cloud, which cloud and how to check it there (the signature is not checked)",
    )
    .argument('<token>', 'the JWT, @file, or - for standard input')
    .option('--format <format>', 'text or json', 'text')
    .action(async (spec: string, flags: { format: string }) => {
      choiceOption(flags.format, '--format', ['text', 'json'])
      const decoded = decodeToken(await readValue(spec, io), io.clock.now())
      io.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify(decoded, null, 2)}\n`
          : formatDecodedToken(decoded),
      )
    })
}
