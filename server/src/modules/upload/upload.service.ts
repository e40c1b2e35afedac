import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { isForeignKeyViolation } from '../../platform/db/database-errors';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import { rateLimited, validationFailed } from '../../platform/http/errors';
import type { ObjectStorage } from '../../platform/storage/object-storage';
import { keyFromUrlOfKind, type UploadKind } from './upload-keys';
import { Upload, UploadUse } from './upload.entity';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Uploads nothing refers to are kept this long (a client uploads first, then sends the post). */
export const UNREFERENCED_UPLOAD_TTL_MS = DAY_MS;
const CLEANUP_BATCH = 200;
const CLEANUP_MAX_PER_RUN = 5000;

/**
 * What refers to uploads. A new kind of reference is a new `type` here and one
 * `check` + `attach` in the use case that stores it.
 */
export interface UploadRef {
  type: 'checkin' | 'avatar' | 'review' | 'product' | 'cohort-cover' | 'cohort-group-qr';
  id: number;
}

/** The uploads a request names, as the caller may use them. */
export interface CheckedUploads {
  /** Storage keys, in the order of the URLs. */
  keys: string[];
  /** Upload rows behind them (files uploaded before upload records began have none). */
  uploadIds: number[];
  /** Server-measured durations by key (voice notes). */
  durations: Map<string, number | null>;
}

export interface UploadClaim {
  /** The caller: only their own uploads may be used. */
  ownerId: number;
  kind: UploadKind;
  urls: readonly string[];
  /** Where the URLs are in the request, for the 400 (`body.imageUrls` → `body.imageUrls.2`). */
  field: string;
  /** A single URL field (`body.avatarUrl`) rather than a list. */
  single?: boolean;
  /** Keys the referring row holds already: an edit may keep them, whoever uploaded them. */
  keep?: readonly string[];
}

export interface UploadSettings {
  /** Bytes one member may upload in any 24 hours. */
  dailyBytesPerMember: number;
  /** false (RATE_LIMITS=off): no daily quota. */
  quotaEnabled: boolean;
}

const kindWords: Record<UploadKind, { noun: string; one: string; route: string }> = {
  image: { noun: 'image', one: 'an image', route: 'POST /api/v1/uploads/images' },
  audio: { noun: 'voice note', one: 'a voice note', route: 'POST /api/v1/uploads/audio' },
};

/** The member's daily upload allowance at one moment: refuses what would go past it. */
export class UploadQuota {
  constructor(
    readonly leftBytes: number,
    private readonly retryAfterSeconds: number,
  ) {}

  /** 429 RATE_LIMITED when `bytes` more would go past the allowance (0: when nothing is left). */
  assertRoomFor(bytes: number): void {
    if (bytes <= this.leftBytes && this.leftBytes > 0) return;
    throw rateLimited(
      this.retryAfterSeconds,
      `You have uploaded as much as a member may in 24 hours; try again in ${formatWait(this.retryAfterSeconds)}.`,
    );
  }
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${Math.max(1, Math.ceil(seconds))} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

/**
 * Upload records: every stored file with its owner, kind and size; which rows refer to it; the
 * daily quota; and the cleanup of files nothing refers to.
 */
export class UploadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly storage: ObjectStorage,
    private readonly settings: UploadSettings,
  ) {}

  /** How much the member may still upload (a rolling 24 hours, from the upload records). */
  async quotaOf(ownerId: number): Promise<UploadQuota> {
    if (!this.settings.quotaEnabled) return new UploadQuota(Number.MAX_SAFE_INTEGER, 0);
    const now = this.clock.now();
    const since = new Date(now.getTime() - DAY_MS);
    const row = await this.dataSource.manager
      .createQueryBuilder(Upload, 'u')
      .select('COALESCE(SUM(u.bytes), 0)', 'used')
      .addSelect('MIN(u.created_at)', 'oldest')
      .where('u.owner_id = :ownerId AND u.created_at > :since', { ownerId, since })
      .getRawOne<{ used: string | number; oldest: string | Date | null }>();
    const used = Number(row?.used ?? 0);
    const oldest = row?.oldest ? toDate(row.oldest) : now;
    const retryAfterSeconds = Math.max(1, (oldest.getTime() + DAY_MS - now.getTime()) / 1000);
    return new UploadQuota(Math.max(0, this.settings.dailyBytesPerMember - used), retryAfterSeconds);
  }

  /**
   * Records the upload, then stores the file. A file that fails to store takes its record with it;
   * a record whose file was never stored would only be cleaned up a day later.
   */
  async store(upload: { ownerId: number; kind: UploadKind; key: string; bytes: Buffer; contentType: string; durationSeconds?: number }): Promise<void> {
    const inserted = await withTransaction(this.dataSource, (manager) =>
      manager.insert(Upload, {
        storageKey: upload.key,
        ownerId: upload.ownerId,
        kind: upload.kind,
        contentType: upload.contentType,
        bytes: upload.bytes.length,
        durationSeconds: upload.durationSeconds ?? null,
        createdAt: this.clock.now(),
      }),
    );
    try {
      await this.storage.put(upload.key, upload.bytes, upload.contentType);
    } catch (error) {
      await withTransaction(this.dataSource, (manager) => manager.delete(Upload, { id: Number(inserted.identifiers[0].id) }));
      throw error;
    }
  }

  /**
   * The uploads a request names, refused with 400 VALIDATION_FAILED naming the field unless each
   * is an upload of this kind by the caller (or a key the referring row already holds). Call it
   * before anything costly (WeChat's content check), then `attach` in the transaction that stores
   * the reference.
   */
  async check(manager: EntityManager, claim: UploadClaim): Promise<CheckedUploads> {
    const words = kindWords[claim.kind];
    const pathOf = (i: number) => (claim.single ? claim.field : `${claim.field}.${i}`);
    const keys = claim.urls.map((url, i) => {
      const key = keyFromUrlOfKind(url, claim.kind);
      if (!key) {
        throw validationFailed(`Each ${words.noun} must be uploaded through ${words.route} first; send the URL it answered.`, [
          { path: pathOf(i), message: `not ${words.one} uploaded here` },
        ]);
      }
      return key;
    });
    if (keys.length === 0) return { keys, uploadIds: [], durations: new Map() };
    const rows = await manager.find(Upload, {
      select: { id: true, storageKey: true, ownerId: true, kind: true, durationSeconds: true },
      where: { storageKey: In([...new Set(keys)]) },
    });
    const byKey = new Map(rows.map((row) => [row.storageKey, row]));
    const kept = new Set(claim.keep ?? []);
    keys.forEach((key, i) => {
      const row = byKey.get(key);
      if (kept.has(key)) return;
      if (!row || row.ownerId !== claim.ownerId || row.kind !== claim.kind) {
        throw validationFailed(`You can only use ${words.noun}s you uploaded yourself (through ${words.route}); this one is not yours or no longer exists.`, [
          { path: pathOf(i), message: `not ${words.one} you uploaded` },
        ]);
      }
    });
    return {
      keys,
      uploadIds: [...new Set(keys.flatMap((key) => (byKey.has(key) ? [byKey.get(key)!.id] : [])))],
      durations: new Map(keys.map((key) => [key, byKey.get(key)?.durationSeconds ?? null])),
    };
  }

  /**
   * Records that `ref` refers to these uploads (in the caller's transaction). With `replace`, what
   * the ref referred to before is let go (an edited avatar, product or review); let-go uploads are
   * cleaned up a day after their upload.
   */
  async attach(manager: EntityManager, ref: UploadRef, checked: Pick<CheckedUploads, 'uploadIds'>, options: { replace?: boolean } = {}): Promise<void> {
    if (options.replace) await manager.delete(UploadUse, { refType: ref.type, refId: ref.id });
    if (checked.uploadIds.length === 0) return;
    try {
      await manager.insert(UploadUse, checked.uploadIds.map((uploadId) => ({ uploadId, refType: ref.type, refId: ref.id })));
    } catch (error) {
      // Cleaned up between `check` and here (it had been unreferenced for a day).
      if (isForeignKeyViolation(error)) throw validationFailed('One of the uploads no longer exists; upload it again.', [{ path: 'body', message: 'upload gone' }]);
      throw error;
    }
  }

  /** Records that `ref` refers to the uploads behind `keys`, as another row already shows them (a copy). */
  async attachCopy(manager: EntityManager, ref: UploadRef, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const rows = await manager.find(Upload, { select: { id: true }, where: { storageKey: In([...new Set(keys)]) } });
    await this.attach(manager, ref, { uploadIds: rows.map((row) => row.id) });
  }

  /**
   * Deletes uploads nothing has referred to for a day: the file, then (in the same transaction)
   * the record. Each row is locked and checked again before it goes, so an upload attached at that
   * moment stays; when the store fails (S3 down) the record stays too and the next run tries again,
   * so no file is ever left behind without its record.
   */
  async deleteUnreferenced(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - UNREFERENCED_UPLOAD_TTL_MS);
    let deleted = 0;
    let afterId = 0;
    while (deleted < CLEANUP_MAX_PER_RUN) {
      const candidates = await this.dataSource.manager
        .createQueryBuilder(Upload, 'u')
        .select(['u.id', 'u.storageKey'])
        .where('u.created_at < :cutoff AND u.id > :afterId', { cutoff, afterId })
        .andWhere('NOT EXISTS (SELECT 1 FROM upload_use r WHERE r.upload_id = u.id)')
        .orderBy('u.id', 'ASC')
        .take(CLEANUP_BATCH)
        .getMany();
      if (candidates.length === 0) break;
      for (const candidate of candidates) {
        if (await this.deleteIfUnreferenced(candidate.id, candidate.storageKey)) deleted++;
      }
      afterId = candidates[candidates.length - 1].id;
    }
    return deleted;
  }

  /**
   * Deletes at once every upload of `ownerId` that nothing refers to (an account being deleted):
   * the file and its record together, through the storage adapter. A file whose deletion fails keeps
   * its record, and the hourly cleanup tries again. Uploads still in use elsewhere (a product's picture,
   * a cohort's cover) stay.
   */
  async deleteUnreferencedOf(ownerId: number): Promise<number> {
    const candidates = await this.dataSource.manager
      .createQueryBuilder(Upload, 'u')
      .select(['u.id', 'u.storageKey'])
      .where('u.owner_id = :ownerId', { ownerId })
      .andWhere('NOT EXISTS (SELECT 1 FROM upload_use r WHERE r.upload_id = u.id)')
      .orderBy('u.id', 'ASC')
      .getMany();
    let deleted = 0;
    for (const candidate of candidates) {
      if (await this.deleteIfUnreferenced(candidate.id, candidate.storageKey)) deleted++;
    }
    return deleted;
  }

  private deleteIfUnreferenced(uploadId: number, key: string): Promise<boolean> {
    return withTransaction(this.dataSource, async (manager) => {
      const row = await manager.findOne(Upload, { select: { id: true }, where: { id: uploadId }, lock: lockForUpdate(manager) });
      if (!row || (await manager.existsBy(UploadUse, { uploadId }))) return false;
      await manager.delete(Upload, { id: uploadId });
      await this.storage.delete(key);
      return true;
    });
  }
}

/** MySQL answers MIN(datetime) as a Date, SQLite as text in UTC. */
function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
