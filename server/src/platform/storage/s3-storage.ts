import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { contentTypeOfKey, StorageUnavailableError, type ByteRange, type OpenedObject, type StreamingObjectStorage } from './object-storage';

/** Where an S3-compatible bucket is (AWS S3, Tencent COS, Alibaba OSS, MinIO, …). */
export interface S3StorageSettings {
  bucket: string;
  /** The service's URL (`https://cos.ap-shanghai.myqcloud.com`, `http://127.0.0.1:9000`); AWS when absent. */
  endpoint?: string;
  region: string;
  /** Both or neither: without them the SDK's default chain (environment, instance role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `bucket` in the path rather than the host name (MinIO, s3rver and other self-hosted servers). */
  forcePathStyle: boolean;
  /** Put before every key, so several deployments can share one bucket (`prod/`); empty by default. */
  keyPrefix: string;
  /** How long one attempt may take before the storage counts as unavailable. */
  timeoutMs: number;
}

/**
 * Uploaded files in an S3-compatible bucket, so every instance serves every file. Keys are checked
 * as on disk (same pattern, content type fixed by the extension). Any failure that is not "no such
 * file" (network, timeouts, the service's 5xx, refused credentials) becomes StorageUnavailableError,
 * which the API answers 503 STORAGE_UNAVAILABLE; the client connects afresh on the next call, so it
 * recovers by itself when the service is back.
 */
export class S3Storage implements StreamingObjectStorage {
  private readonly client: S3Client;

  constructor(private readonly settings: S3StorageSettings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // One retry: a request waiting on a dead store holds a member's upload slot and a socket.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: settings.timeoutMs, requestTimeout: settings.timeoutMs },
      // Checksums on every put and get cost CPU and are not understood by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const expected = contentTypeOfKey(key);
    if (!expected) throw new Error(`S3Storage: refusing malformed key ${JSON.stringify(key)}`);
    if (expected !== contentType) throw new Error(`S3Storage: key ${key} is served as ${expected}, not ${contentType}`);
    await this.call(() =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
      ),
    );
  }

  async get(key: string): Promise<{ bytes: Buffer; contentType: string } | null> {
    const opened = await this.open(key);
    if (!opened) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), contentType: opened.contentType };
  }

  async delete(key: string): Promise<void> {
    if (!contentTypeOfKey(key)) throw new Error(`S3Storage: refusing malformed key ${JSON.stringify(key)}`);
    // S3 answers 204 for a key that is not there.
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) })));
  }

  async size(key: string): Promise<number | null> {
    if (!contentTypeOfKey(key)) return null;
    const head = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) })));
    return head ? Number(head.ContentLength ?? 0) : null;
  }

  async open(key: string, range?: ByteRange): Promise<OpenedObject | null> {
    const contentType = contentTypeOfKey(key);
    if (!contentType) return null;
    const answer = await this.call(() =>
      this.client.send(
        new GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      ),
    );
    if (!answer?.Body) return null;
    const length = Number(answer.ContentLength ?? 0);
    // With a range, the total size is after the slash of `Content-Range: bytes 0-99/1234`.
    const total = range ? Number(/\/(\d+)$/.exec(answer.ContentRange ?? '')?.[1] ?? Number.NaN) : length;
    return { body: answer.Body as Readable, contentType, size: Number.isFinite(total) ? total : length, length };
  }

  private objectKey(key: string): string {
    return `${this.settings.keyPrefix}${key}`;
  }

  /** Runs one S3 call: "no such key" is null, any other failure means the store is unavailable. */
  private async call<T>(send: () => Promise<T>): Promise<T | null> {
    try {
      return await send();
    } catch (error) {
      if (isMissing(error)) return null;
      throw new StorageUnavailableError('S3', error);
    }
  }
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === 'NoSuchBucket') return false; // a misconfiguration, not a missing file
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404;
}
