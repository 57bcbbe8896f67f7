import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino'

/**
 * Paths that are never logged. Values there are replaced by `[redacted]`. The list covers AWS
 * credentials, tokens, authorization headers and private JWK members.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'key',
  '*.key',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'SecretAccessKey',
  '*.SecretAccessKey',
  'secretAccessKey',
  '*.secretAccessKey',
  'SessionToken',
  '*.SessionToken',
  'sessionToken',
  '*.sessionToken',
  'WebIdentityToken',
  '*.WebIdentityToken',
  'privateKey',
  '*.privateKey',
  'masterKey',
  '*.masterKey',
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  '*.d',
  '*.p',
  '*.q',
  '*.dp',
  '*.dq',
  '*.qi',
]

export type { Logger }

export interface LoggerSettings {
  readonly level?: string
  readonly name?: string
}

/** The logger factory: pino with redaction. Pass a destination in tests to capture output. */
export function createLogger(
  settings: LoggerSettings = {},
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  }
  if (settings.name !== undefined) options.name = settings.name
  return destination === undefined ? pino(options) : pino(options, destination)
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
