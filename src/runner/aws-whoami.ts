/**
 * `node aws-whoami.js`: a deployment step that shows which AWS identity it runs as, with the AWS
 * SDK's default credential chain (the keys keyless injected, or refresh mode's endpoint), the
 * region and STS endpoint from the environment. Shipped so that the demo (`keyless up --demo`)
 * needs no AWS CLI. Prints one line per fact; exits 1 when the call fails.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { decodeJwt } from 'jose'
import { processEnv } from '../shared/config/load.js'

async function main(): Promise<number> {
  const token = processEnv()['KEYLESS_OIDC_TOKEN']
  if (token !== undefined) {
    try {
      const claims = decodeJwt(token)
      process.stdout.write(`token subject:   ${claims.sub ?? '(none)'}\n`)
      process.stdout.write(`token audience:  ${String(claims.aud)}\n`)
    } catch {
      process.stdout.write('token:           (unreadable)\n')
    }
  }
  const client = new STSClient({})
  try {
    const me = await client.send(new GetCallerIdentityCommand({}))
    process.stdout.write(`caller identity: ${me.Arn ?? '?'}\n`)
    process.stdout.write(`account:         ${me.Account ?? '?'}\n`)
    process.stdout.write(`user id:         ${me.UserId ?? '?'}\n`)
    return 0
  } catch (error) {
    const e = error as { name?: string; message?: string }
    process.stderr.write(`GetCallerIdentity failed: ${e.name ?? 'Error'}: ${e.message ?? ''}\n`)
    return 1
  }
}

process.exitCode = await main()
