import { timingSafeEqual, createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Refresh mode's loopback credential endpoint, in the container-credentials format every AWS SDK
 * and Terraform's AWS provider read from `AWS_CONTAINER_CREDENTIALS_FULL_URI` with the header
 * `Authorization: <AWS_CONTAINER_AUTHORIZATION_TOKEN>`:
 * `{ "AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn" }`.
 *
 * One endpoint per deployment, on 127.0.0.1 and a random port, for the life of the deployment.
 * (The one `listen` outside src/cli: docs/architecture.md §5 needs it inside the agent.)
 */
export interface HandedOutCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  /** The expiration steps should see, in the host's clock. */
  readonly expiration: Date
  readonly roleArn: string
}

export interface CredentialEndpointOptions {
  readonly authorizationToken: string
  /** Current credentials, refreshed if they are about to expire. Throws when none can be had. */
  readonly current: () => Promise<HandedOutCredentials>
  /** Called for each request served (for counting; never with secrets). */
  readonly onRequest?: (status: number) => void
}

export const CREDENTIALS_PATH = '/v1/credentials'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** The request handler (tested without a socket). */
export function credentialHandler(
  options: CredentialEndpointOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = digest(options.authorizationToken)
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
    options.onRequest?.(status)
  }
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'GET' || path !== CREDENTIALS_PATH) {
      send(res, 404, { code: 'NotFound', message: `only GET ${CREDENTIALS_PATH} is served here` })
      return
    }
    const given = req.headers.authorization ?? ''
    if (!timingSafeEqual(digest(given), expected)) {
      send(res, 401, { code: 'Unauthorized', message: 'missing or wrong Authorization header' })
      return
    }
    options.current().then(
      (c) =>
        send(res, 200, {
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: c.expiration.toISOString().replace(/\.\d{3}Z$/u, 'Z'),
          RoleArn: c.roleArn,
        }),
      (error: unknown) =>
        send(res, 500, {
          code: 'CredentialsUnavailable',
          message: error instanceof Error ? error.message : String(error),
        }),
    )
  }
}

export interface RunningEndpoint {
  readonly url: string
  close(): Promise<void>
}

export async function startCredentialEndpoint(
  options: CredentialEndpointOptions,
): Promise<RunningEndpoint> {
  const server = createServer(credentialHandler(options))
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
