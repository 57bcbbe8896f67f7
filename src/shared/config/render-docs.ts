import { errorTable } from '../error-codes.js'
import type { OptionTable } from './option.js'
import {
  agentOptions,
  clientOptions,
  emulatorOptions,
  serverOptions,
  upOptions,
} from './options.js'

/**
 * One section per command (the heading names the commands: a test checks that each documented
 * option is a flag of those commands and that every flag of a table-driven command is documented).
 */
const sections: ReadonlyArray<[string, string, OptionTable]> = [
  ['keyless server', 'The control plane.', serverOptions],
  [
    'keyless up',
    'The whole stack on one machine: the control plane (the options of `keyless server`, logging less), the cloud emulators (`--emulator-*`, the AWS state kept in the data directory) and an embedded agent (`--agent-*`).',
    upOptions,
  ],
  [
    'keyless emulator',
    'The cloud emulators: AWS STS + IAM, Entra ID and Google (STS, IAM, IAM Credentials), each on its own port.',
    emulatorOptions,
  ],
  ['keyless agent', 'The self-hosted agent.', agentOptions],
  [
    'Client commands: keyless deploy, keyless preflight, keyless setup aws',
    'Commands that call the control plane.',
    clientOptions,
  ],
]

function defaultText(spec: OptionTable[string]): string {
  if (spec.defaultText !== undefined) return `\`${spec.defaultText}\``
  if (spec.required === true) return '(required)'
  if (spec.default === undefined || typeof spec.default === 'function') return '—'
  return `\`${JSON.stringify(spec.default).replace(/^"|"$/gu, '')}\``
}

/** docs/configuration.md, generated from the option tables (`npm run docs`). */
export function renderConfigurationDocs(): string {
  const out = [
    '# Configuration',
    '',
    '<!-- Generated from src/shared/config/options.ts by `npm run docs`; a test fails when it drifts. -->',
    '',
    'Every option can be given as a flag, else as a `KEYLESS_*` environment variable, else it takes',
    'its default. All problems are reported at once at startup. Secret options are never printed.',
    '',
  ]
  for (const [title, intro, table] of sections) {
    out.push(
      `## ${title}`,
      '',
      intro,
      '',
      '| flag | environment | default | description |',
      '| --- | --- | --- | --- |',
    )
    for (const spec of Object.values(table)) {
      const secret = spec.secret === true ? ' (secret)' : ''
      out.push(
        `| \`${spec.flag}\` | \`${spec.env}\` | ${defaultText(spec)} | ${spec.description.replace(/\|/gu, '\\|')}${secret} |`,
      )
    }
    out.push('')
  }
  return out.join('\n')
}

/** docs/errors.md, generated from the error table (`npm run docs`). */
export function renderErrorDocs(): string {
  const out = [
    '# Error codes',
    '',
    '<!-- Generated from src/shared/error-codes.ts by `npm run docs`; a test fails when it drifts. -->',
    '',
    'The REST and agent APIs answer errors as `{ "error": { "code", "message", "details" } }`; the CLI',
    'prints one line and exits with the code below. AWS wire errors of the emulator are listed in',
    '[emulator.md](emulator.md).',
    '',
    '| code | HTTP status | CLI exit | meaning |',
    '| --- | --- | --- | --- |',
  ]
  for (const [code, entry] of Object.entries(errorTable)) {
    out.push(`| \`${code}\` | ${entry.status} | ${entry.exit} | ${entry.description} |`)
  }
  out.push('')
  return out.join('\n')
}
