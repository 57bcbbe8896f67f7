// A deployment step that uses the AWS SDK for JavaScript the ordinary way (default credential
// chain, region and STS endpoint from the environment) and calls GetCallerIdentity until the
// file named by its first argument exists. It prints a short hash of the access key it used, so
// a test can see credentials change without the key itself (which the log would mask anyway).
// At the end it tries the first session's keys again, to show whether they still work.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'

const stopFile = process.argv[2] ?? 'stop'
const client = new STSClient({})
const hash = (v: string): string => createHash('sha256').update(v).digest('hex').slice(0, 8)
let first: Awaited<ReturnType<typeof client.config.credentials>> | undefined
while (!existsSync(stopFile)) {
  try {
    const creds = await client.config.credentials()
    first ??= creds
    const out = await client.send(new GetCallerIdentityCommand({}))
    console.log(`ok ${out.Arn} key=${hash(creds.accessKeyId)}`)
  } catch (error) {
    const e = error as Error
    console.log(`fail ${e.name}: ${e.message}`)
  }
  await new Promise((r) => setTimeout(r, 100))
}
try {
  const old = new STSClient(first === undefined ? {} : { credentials: first })
  await old.send(new GetCallerIdentityCommand({}))
  console.log('old-session still-valid')
} catch (error) {
  console.log(`old-session ${(error as Error).name}`)
}
