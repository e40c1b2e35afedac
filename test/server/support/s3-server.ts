import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver needs a bucket name of at least 3 characters for the SDK's requests to reach it. */
export const TEST_BUCKET = 'checkin-test';

/**
 * A real S3-compatible server (s3rver) on loopback with one bucket, its files in a temporary
 * directory. `stop` and `start` take it down and bring it back on the same port (its files kept),
 * for outages.
 */
export interface TestS3Server {
  endpoint: string;
  /** The environment that points the app at this server (path-style, like MinIO). */
  env: Record<string, string>;
  /** The keys in the bucket (below `prefix`), as S3 lists them. */
  keys(prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestS3Server(): Promise<TestS3Server> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'checkin-s3rver-'));
  const make = (port: number) =>
    new S3rver({ address: '127.0.0.1', port, silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: TEST_BUCKET }] });
  let server: S3rver | null = make(0);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver accepts any key pair it is given (S3RVER is its documented default).
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const lister = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  return {
    endpoint,
    env: {
      S3_BUCKET: TEST_BUCKET,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: '1',
      S3_TIMEOUT_MS: '1000',
    },
    async keys(prefix = '') {
      const listed = await lister.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix }));
      return (listed.Contents ?? []).map((item) => item.Key ?? '').sort();
    },
    async stop() {
      await server?.close();
      server = null;
    },
    async start() {
      server = make(port);
      await server.run();
    },
    async close() {
      lister.destroy();
      await server?.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
