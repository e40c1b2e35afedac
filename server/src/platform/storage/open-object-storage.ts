import type { StorageConfig } from '../../config';
import { LocalDiskStorage, type ObjectStorage } from './object-storage';
import type * as S3Module from './s3-storage';

/**
 * The configured store. The S3 client (about 130 ms to load) is loaded only when a bucket is set,
 * so a start on local disk does not pay for it.
 */
export function openObjectStorage(config: StorageConfig): ObjectStorage {
  if (config.kind === 'local') return new LocalDiskStorage(config.dir);
  // A plain require: `import()` in this CommonJS build would need a `.js` path the tests cannot resolve.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3Storage } = require('./s3-storage') as typeof S3Module;
  return new S3Storage(config);
}
