import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { S3Client } from '@aws-sdk/client-s3'
import { KeylessError } from '../../shared/errors.js'
import { lazyModule } from '../../shared/lazy-module.js'
import type { IssuerDocument } from './documents.js'

/** Where a static copy of the issuer goes: a directory or an S3 bucket and prefix. */
export interface PublicationTarget {
  /** For logs and output, e.g. `s3://bucket/prefix`. */
  readonly name: string
  write(documents: readonly IssuerDocument[]): Promise<void>
}

export interface S3Settings {
  /** An S3-compatible endpoint (path-style addressing is used then). */
  readonly endpointUrl?: string
  readonly region: string
}

/** `DIR` or `s3://bucket/prefix`. */
export function publicationTarget(target: string, s3: S3Settings): PublicationTarget {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/u.exec(target)
  if (target.startsWith('s3:') && m === null)
    throw new KeylessError('usage_error', `${target} is not s3://bucket/prefix`)
  if (m !== null) return s3Target(m[1] ?? '', (m[2] ?? '').replace(/\/+$/u, ''), s3)
  if (target.includes('://'))
    throw new KeylessError('usage_error', `${target}: publish to a directory or s3://bucket/prefix`)
  return dirTarget(resolve(target))
}

function dirTarget(dir: string): PublicationTarget {
  return {
    name: dir,
    async write(documents) {
      for (const d of documents) {
        const file = join(dir, d.path)
        await mkdir(dirname(file), { recursive: true })
        // Readers (a static web server) never see half a file.
        await writeFile(`${file}.partial`, d.body, { mode: 0o644 })
        await rename(`${file}.partial`, file)
      }
    },
  }
}

/** The S3 client library, loaded when a bucket is first written. */
const s3Sdk = lazyModule(() => import('@aws-sdk/client-s3'))

function s3Target(bucket: string, prefix: string, settings: S3Settings): PublicationTarget {
  let client: S3Client | undefined
  return {
    name: `s3://${bucket}${prefix === '' ? '' : `/${prefix}`}`,
    async write(documents) {
      const { PutObjectCommand, S3Client } = await s3Sdk()
      client ??= new S3Client({
        region: settings.region,
        ...(settings.endpointUrl === undefined
          ? {}
          : { endpoint: settings.endpointUrl, forcePathStyle: true }),
      })
      for (const d of documents)
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: prefix === '' ? d.path : `${prefix}/${d.path}`,
            Body: d.body,
            ContentType: d.contentType,
            CacheControl: d.cacheControl,
          }),
        )
    },
  }
}
