import type { DataSource, EntityMetadata } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { notFound } from '../../platform/http/errors';
import { Checkin } from '../checkin/checkin.entity';
import { Member } from '../identity/member.entity';
import { Review } from '../review/review.entity';
import { uploadUrlFor } from '../upload/upload-keys';
import { exportedColumns } from './privacy-coverage';

type Row = Record<string, unknown>;
export type DataExport = { exportedAt: string; memberId: number; reviewsOfMyCheckins: Row[] } & Record<string, unknown>;

/** Columns that are secrets or internals, never personal information to hand out. */
const withheld: Record<string, readonly string[]> = {
  member: ['sessionKey'],
  auth_token: ['tokenHash'],
  console_session: ['tokenHash'],
  console_login_ticket: ['ticketHash'],
  offer_order: ['prepayParams'],
};
/** Sections of one row (the member's own row, the balance); the others are lists. */
const singleRowSections = new Set(['profile', 'balance']);
/** Columns holding storage keys, answered as the URLs the files are served at. */
const keyColumns: Record<string, Array<[string, string, 'one' | 'many']>> = {
  checkin: [['imageKeys', 'photoUrls', 'many'], ['audioKey', 'audioUrl', 'one']],
  review: [['audioKey', 'audioUrl', 'one']],
  upload: [['storageKey', 'url', 'one']],
  share_code: [['imageKey', 'imageUrl', 'one']],
  mall_product: [['imageKeys', 'imageUrls', 'many']],
};

/**
 * A copy of everything the product holds about a member (PIPL's right to a copy), as JSON: one
 * query per table that refers to the member (privacy-coverage.ts lists them; a test keeps the list
 * complete), plus the reviews teachers wrote on the member's check-ins.
 */
export class DataExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async exportFor(memberId: number): Promise<DataExport> {
    const manager = this.dataSource.manager;
    const member = await manager.findOneBy(Member, { id: memberId });
    if (!member || member.deletedAt) throw notFound('Member');
    const sections: Record<string, Row[]> = {};
    await Promise.all(
      exportedColumns().map(async ({ table, column, section }) => {
        const metadata = this.metadataOf(table);
        const rows = await manager
          .createQueryBuilder(metadata.target, 't')
          .where(`t.${column} = :memberId`, { memberId })
          .orderBy(primaryOrder(metadata))
          .getMany();
        sections[section] = rows.map((row) => plain(table, row as Row));
      }),
    );
    const reviews = await manager
      .createQueryBuilder(Review, 'r')
      .innerJoin(Checkin, 'c', 'c.id = r.checkin_id')
      .where('c.member_id = :memberId', { memberId })
      .orderBy('r.id', 'ASC')
      .getMany();
    const result: DataExport = {
      exportedAt: this.clock.now().toISOString(),
      memberId,
      reviewsOfMyCheckins: reviews.map((row) => plain('review', row as unknown as Row)),
    };
    for (const [section, rows] of Object.entries(sections)) {
      result[section] = singleRowSections.has(section) ? (rows[0] ?? null) : rows;
    }
    return result;
  }

  private metadataOf(table: string): EntityMetadata {
    const metadata = this.dataSource.entityMetadatas.find((m) => m.tableName === table);
    if (!metadata) throw new Error(`privacy coverage names table ${table}, which no entity maps`);
    return metadata;
  }
}

function primaryOrder(metadata: EntityMetadata): Record<string, 'ASC'> {
  return Object.fromEntries(metadata.primaryColumns.map((column) => [`t.${column.propertyName}`, 'ASC' as const]));
}

/** A row as JSON: instants in ISO-8601, secrets left out, storage keys as URLs. */
function plain(table: string, row: Row): Row {
  const out: Row = {};
  const hidden = withheld[table] ?? [];
  for (const [key, value] of Object.entries(row)) {
    if (hidden.includes(key)) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  for (const [from, to, arity] of keyColumns[table] ?? []) {
    const value = out[from];
    delete out[from];
    out[to] = arity === 'many' ? ((value as string[] | null) ?? []).map(uploadUrlFor) : typeof value === 'string' ? uploadUrlFor(value) : null;
  }
  return out;
}
