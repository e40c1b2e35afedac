import { z } from 'zod';
import type { ApiRouter } from '../../platform/http/api-router';
import '../../platform/http/openapi';
import type { AccountDeletionService } from './account-deletion.service';
import type { DataExportService } from './data-export.service';
import { exportedColumns } from './privacy-coverage';

const row = z.record(z.string(), z.unknown());
const singleRow = new Set(['profile', 'balance']);
const dataExportSchema = z
  .object({
    exportedAt: z.string(),
    memberId: z.number().int(),
    reviewsOfMyCheckins: z.array(row),
    ...Object.fromEntries(exportedColumns().map(({ section }) => [section, singleRow.has(section) ? row.nullable() : z.array(row)])),
  })
  .openapi('DataExport');

export function registerPrivacyRoutes(api: ApiRouter, exports: DataExportService, deletion: AccountDeletionService): void {
  api.add({
    method: 'get',
    path: '/me/data-export',
    summary: 'A copy of everything the product holds about me, as JSON (PIPL): profile, check-ins with links to my files, comments, likes, points, redemptions, orders, invitations, consents, notices',
    tag: 'privacy',
    access: 'member',
    response: dataExportSchema,
    errors: { 429: 'RATE_LIMITED' },
    rateLimit: 'dataExport',
    handler: ({ principal, ctx }) => {
      ctx.set('Cache-Control', 'no-store');
      return exports.exportFor(principal.memberId);
    },
  });

  api.add({
    method: 'delete',
    path: '/me',
    summary: 'Delete my account (注销), at once: logins end, the WeChat link, name, avatar, photos, recordings, comments and addresses go; points, orders and redemptions stay as anonymous accounting records. Pending redemptions are cancelled and refunded first.',
    tag: 'privacy',
    access: 'member',
    response: z.object({
      deleted: z.literal(true),
      deletedAt: z.string(),
      redemptionsCancelled: z.number().int(),
      filesDeleted: z.number().int(),
    }),
    handler: ({ principal }) => deletion.deleteAccount(principal),
  });
}
