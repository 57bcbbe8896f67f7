/**
 * The floor of the mint benchmark (bench/mint/index.ts): a node:http server that does only what
 * the issue names as a mint's required work, the cheapest way we know, and nothing else:
 *
 * - auth: SHA-256 of the bearer key, looked up in memory (keyless keeps a key 5 s after a read);
 * - the joined read: one row of 90 text columns by primary key from SQLite (better-sqlite3, as
 *   arrays), the width of keyless's mint read (src/platform/mint-rows.ts) without its joins;
 * - claims: one `JSON.stringify` of a claim set as long as keyless's;
 * - the signature: node:crypto RS256 on the libuv threadpool, as keyless signs;
 * - the durable audit row: one INSERT into a table shaped like `audit_events` with its two
 *   indexes, group-committed (one transaction per event-loop turn) in WAL mode with
 *   `synchronous = NORMAL`, as src/store/database.ts opens keyless's database; each answer only
 *   after its commit.
 *
 * No request validation, roles, deployment state checks, subject templates, session tags, stored
 * claims, run phases, metrics or request log. Run as its own process:
 * `node --import tsx bench/floors/mint-floor.ts <data-dir> <bearer-key>`; prints `listening on URL`.
 */
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import Database from 'better-sqlite3'

const COLUMNS = 90

function openDatabase(dir: string): Database.Database {
  const db = new Database(join(dir, 'floor.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  const cols = Array.from({ length: COLUMNS }, (_, i) => `c${i} TEXT`).join(', ')
  db.exec(`CREATE TABLE deployments (id TEXT PRIMARY KEY, ${cols});
    CREATE TABLE audit_events (id TEXT PRIMARY KEY, organization_id TEXT, action TEXT NOT NULL,
      actor_type TEXT NOT NULL, actor_id TEXT, actor_email TEXT, deployment_id TEXT,
      details TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE INDEX audit_org ON audit_events (organization_id, created_at, id);
    CREATE INDEX audit_deployment ON audit_events (deployment_id);`)
  const values = Array.from({ length: COLUMNS }, (_, i) => `value of column ${i}`)
  db.prepare(`INSERT INTO deployments VALUES (?${', ?'.repeat(COLUMNS)})`).run('d1', ...values)
  return db
}

type Pending = readonly [args: readonly unknown[], answer: () => void]

function auditWriter(
  db: Database.Database,
): (args: readonly unknown[], answer: () => void) => void {
  const insert = db.prepare('INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const commit = db.transaction((rows: readonly Pending[]) => {
    for (const [args] of rows) insert.run(...args)
  })
  let queue: Pending[] = []
  return (args, answer) => {
    if (queue.length === 0)
      setImmediate(() => {
        const batch = queue
        queue = []
        commit(batch)
        for (const [, done] of batch) done()
      })
    queue.push([args, answer])
  }
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

function main(dir: string, bearer: string): void {
  const db = openDatabase(dir)
  const read = db.prepare('SELECT * FROM deployments WHERE id = ?').raw()
  const audit = auditWriter(db)
  const keys = new Map([[createHash('sha256').update(bearer).digest('hex'), 'owner']])
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const header = Buffer.from('{"alg":"RS256","kid":"floor","typ":"JWT"}').toString('base64url')
  const filler = 'x'.repeat(1100)
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const auth = req.headers.authorization ?? ''
      const who = keys.get(createHash('sha256').update(auth.slice(7)).digest('hex'))
      const row = read.get('d1') as unknown[] | undefined
      if (who === undefined || row === undefined) return reply(res, 401, '{"error":"unauthorized"}')
      const now = Math.floor(Date.now() / 1000)
      const claims = JSON.stringify({
        iss: row[1],
        sub: row[2],
        aud: row[3],
        filler,
        iat: now,
        exp: now + 900,
        jti: randomUUID(),
      })
      const input = `${header}.${Buffer.from(claims).toString('base64url')}`
      sign('sha256', Buffer.from(input), privateKey, (error, signature) => {
        if (error !== null) return reply(res, 500, '{"error":"internal"}')
        const token = `${input}.${signature.toString('base64url')}`
        const at = new Date().toISOString()
        audit([randomUUID(), 'org', 'token.minted', 'api_key', who, null, 'd1', claims, at], () =>
          reply(res, 200, JSON.stringify({ token, expiresAt: now + 900 })),
        )
      })
    })
  })
  server.keepAliveTimeout = 72_000
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    if (address !== null && typeof address === 'object')
      process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`)
  })
}

const [dir, bearer] = process.argv.slice(2)
if (dir !== undefined && bearer !== undefined) main(dir, bearer)
