import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Member } from '../identity/member.entity';
import type { UploadKind } from './upload-keys';

/**
 * Every file uploaded through POST /uploads/*: who uploaded it, what and how big. A member's own
 * data (account deletion and data export must cover it). Only the owner may refer to an upload.
 */
@Entity({ name: 'upload' })
@Index(['ownerId', 'createdAt'])
export class Upload {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The storage key (`img/2026/11/<hex>.jpg`); its URL is `/uploads/<key>`. */
  @Index({ unique: true })
  @Column({ name: 'storage_key', type: 'varchar', length: 200 })
  storageKey: string;

  @Column({ name: 'owner_id', type: 'integer' })
  @ForeignKey(() => Member, { onDelete: 'CASCADE' })
  ownerId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: UploadKind;

  @Column({ name: 'content_type', type: 'varchar', length: 64 })
  contentType: string;

  @Column({ type: 'integer' })
  bytes: number;

  /** Voice notes: the duration the server measured, in whole seconds. */
  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds: number | null;

  @Index()
  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/**
 * Something that refers to an upload: `(checkin, 12)`, `(avatar, <member id>)`, `(review, 7)`,
 * `(product, 3)`, `(cohort-cover, 5)`. An upload without a row here for a day is deleted.
 */
@Entity({ name: 'upload_use' })
@Index(['refType', 'refId'])
export class UploadUse {
  @PrimaryColumn({ name: 'upload_id', type: 'integer' })
  @ForeignKey(() => Upload, { onDelete: 'CASCADE' })
  uploadId: number;

  @PrimaryColumn({ name: 'ref_type', type: 'varchar', length: 32 })
  refType: string;

  @PrimaryColumn({ name: 'ref_id', type: 'integer' })
  refId: number;
}
