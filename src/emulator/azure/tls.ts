/**
 * The emulator's local CA and server certificate (every Azure client insists on https). The CA is
 * kept in `<data-dir>/emulator-ca.pem` (key beside it, 0600) and reused across starts, so clients
 * keep trusting it; the server certificate is new at each start and covers 127.0.0.1, ::1 and
 * localhost. node:crypto cannot build certificates, so @peculiar/x509 writes them.
 */
import 'reflect-metadata'
import { webcrypto, randomBytes, type webcrypto as WebCrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

// The build has no DOM lib: the provider's parameter type is named from its one-argument overload.
type CryptoOf<T> = T extends { set(value: infer C): unknown } ? C : never
x509.cryptoProvider.set(webcrypto as unknown as CryptoOf<typeof x509.cryptoProvider>)

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 24 * 3600 * 1000

export interface EmulatorTls {
  readonly caPem: string
  readonly caFile: string
  readonly key: string
  readonly cert: string
}

function serial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes.toString('hex')
}

async function pkcs8Pem(key: WebCrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

interface Ca {
  readonly cert: x509.X509Certificate
  readonly key: WebCrypto.CryptoKey
}

async function newCa(now: number): Promise<Ca> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=keyless emulator local CA',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { cert, key: keys.privateKey }
}

async function readCa(certFile: string, keyFile: string): Promise<Ca | undefined> {
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined
  try {
    const cert = new x509.X509Certificate(readFileSync(certFile, 'utf8'))
    const der = x509.PemConverter.decodeFirst(readFileSync(keyFile, 'utf8'))
    const key = await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])
    return cert.notAfter.getTime() > Date.now() + DAY ? { cert, key } : undefined
  } catch {
    return undefined
  }
}

/** Reads or creates the CA in `dataDir`, then issues a fresh server certificate. */
export async function emulatorTls(
  dataDir: string,
  nowMs: number = Date.now(),
): Promise<EmulatorTls> {
  mkdirSync(dataDir, { recursive: true })
  const caFile = join(dataDir, 'emulator-ca.pem')
  const keyFile = join(dataDir, 'emulator-ca-key.pem')
  let ca = await readCa(caFile, keyFile)
  if (ca === undefined) {
    ca = await newCa(nowMs)
    writeFileSync(keyFile, await pkcs8Pem(ca.key), { mode: 0o600 })
    writeFileSync(caFile, ca.cert.toString('pem'))
  }
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: ca.cert.subject,
    notBefore: new Date(nowMs - DAY),
    notAfter: new Date(nowMs + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const caPem = ca.cert.toString('pem')
  return {
    caPem,
    caFile,
    key: await pkcs8Pem(keys.privateKey),
    cert: `${cert.toString('pem')}\n${caPem}`,
  }
}
