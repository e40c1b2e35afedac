import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import {
  cancelBodySchema,
  cancelResultSchema,
  fulfilBodySchema,
  myRedemptionsQuerySchema,
  productCreateSchema,
  productDtoSchema,
  productListQuerySchema,
  productUpdateSchema,
  redeemBodySchema,
  redemptionDtoSchema,
  redemptionListQuerySchema,
  shippingImportResultSchema,
  shippingListQuerySchema,
  redemptionResultSchema,
  stockAdjustmentBodySchema,
  stockAdjustmentDtoSchema,
} from './mall.dto';
import type { ProductService } from './product.service';
import type { RedemptionService } from './redemption.service';
import type { ShippingService } from './shipping.service';
import { readSheetUpload, SHEET_FIELD, MAX_SHEET_BYTES } from './sheet-upload';

const idParams = z.object({ id: idParam });
const tag = 'mall';

export function registerMallRoutes(api: ApiRouter, products: ProductService, redemptions: RedemptionService, shipping: ShippingService): void {
  // ---- products ----
  api.add({
    method: 'get', path: '/mall/products', tag, access: 'member', query: productListQuerySchema,
    summary: 'The catalogue: active products, in stock first (operators: ?includeInactive=true for all)',
    response: z.object({ items: z.array(productDtoSchema) }), errors: { 403: 'FORBIDDEN (includeInactive is for operators)' },
    handler: async ({ principal, query }) => ({ items: await products.list(principal, query.includeInactive === 'true') }),
  });
  api.add({
    method: 'get', path: '/mall/products/:id', tag, access: 'member', params: idParams,
    summary: 'One product (an inactive one shows `active: false`)', response: productDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => products.get(principal.memberId, params.id),
  });
  api.add({
    method: 'post', path: '/mall/products', tag, access: ['operator'], status: 201,
    summary: 'Create a product (its initial stock is the first stock adjustment)',
    body: productCreateSchema, response: productDtoSchema,
    handler: ({ principal, body }) => products.create(principal.memberId, body),
  });
  api.add({
    method: 'put', path: '/mall/products/:id', tag, access: ['operator'], params: idParams,
    summary: 'Edit a product (name, description, images, price, limit, active, kind; stock moves only by adjustments)',
    body: productUpdateSchema, response: productDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => products.update(principal.memberId, params.id, body),
  });
  api.add({
    method: 'post', path: '/mall/products/:id/stock', tag, access: ['operator'], params: idParams,
    summary: 'Adjust the stock by a delta with a note (audited: who, when, why); never below zero',
    body: stockAdjustmentBodySchema,
    response: z.object({ product: productDtoSchema, adjustment: stockAdjustmentDtoSchema }),
    errors: { 404: 'NOT_FOUND', 409: 'STOCK_BELOW_ZERO' },
    handler: ({ principal, params, body }) => products.adjustStock(principal.memberId, params.id, body),
  });
  api.add({
    method: 'get', path: '/mall/products/:id/stock', tag, access: ['operator'], params: idParams, query: pageQuerySchema,
    summary: 'The stock audit trail of a product, newest first',
    response: z.object({ items: z.array(stockAdjustmentDtoSchema), nextCursor: z.string().nullable() }),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params, query }) => products.stockHistory(params.id, { limit: query.limit, before: query.before }),
  });

  // ---- redemptions ----
  api.add({
    method: 'post', path: '/mall/redemptions', tag, access: 'member', status: 201,
    summary: 'Redeem a product with points (a retry with the same requestId answers with the first redemption)',
    body: redeemBodySchema, response: redemptionResultSchema,
    errors: {
      404: 'NOT_FOUND (no such product)',
      409: 'OUT_OF_STOCK, LIMIT_EXCEEDED, INSUFFICIENT_POINTS, PRODUCT_INACTIVE, PRODUCT_CHANGED (its price changed meanwhile) or REQUEST_ID_REUSED',
    },
    handler: ({ principal, body }) => redemptions.redeem(principal.memberId, body),
  });
  api.add({
    method: 'get', path: '/me/redemptions', tag, access: 'member', query: myRedemptionsQuerySchema,
    summary: 'My redemptions, newest first, optionally by state',
    response: z.object({ items: z.array(redemptionDtoSchema), nextCursor: z.string().nullable() }),
    handler: ({ principal, query }) => redemptions.listMine(principal.memberId, query),
  });
  api.add({
    method: 'get', path: '/mall/redemptions', tag, access: ['operator'], query: redemptionListQuerySchema,
    summary: 'All redemptions, newest first, filtered by state, product, member, cohort (its members) and business dates',
    response: z.object({ items: z.array(redemptionDtoSchema), nextCursor: z.string().nullable() }),
    handler: ({ query }) => redemptions.list(query),
  });
  api.add({
    method: 'get', path: '/mall/redemptions/shipping-list', tag, access: ['operator'], query: shippingListQuerySchema,
    summary: 'The pending physical orders with their addresses, oldest first, as a shipping sheet to fill in (audited)',
    response: z.string().openapi({ format: 'binary' }),
    alsoProduces: { 'text/csv': 'format=csv, UTF-8 with a BOM', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'format=xlsx' },
    rateLimit: 'staffWrite',
    handler: async ({ principal, query, ctx }) => {
      const file = await shipping.shippingList(principal.memberId, query.format);
      ctx.type = file.contentType;
      ctx.attachment(file.filename);
      return file.stream as never;
    },
  });
  api.add({
    method: 'post', path: '/mall/redemptions/import', tag, access: ['operator'],
    summary: 'Ship many orders from a sheet (CSV or XLSX with 兑换单号, 快递公司, 快递单号): every row checked, applied or refused with a reason; importing the same sheet again changes nothing (audited)',
    multipartFile: { field: SHEET_FIELD, description: `The sheet (.csv UTF-8 or .xlsx); at most ${MAX_SHEET_BYTES / 1024 / 1024} MB` },
    response: shippingImportResultSchema,
    errors: { 400: 'VALIDATION_FAILED (no file, unreadable sheet, missing columns, too many rows)', 413: 'FILE_TOO_LARGE' },
    rateLimit: 'staffWrite',
    handler: async ({ principal, ctx }) => shipping.importSheet(principal.memberId, await readSheetUpload(ctx)),
  });
  api.add({
    method: 'get', path: '/mall/redemptions/:id', tag, access: 'member', params: idParams,
    summary: 'One redemption (members: their own only)', response: redemptionDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => redemptions.get(principal, params.id),
  });
  api.add({
    method: 'post', path: '/mall/redemptions/:id/cancel', tag, access: 'member', params: idParams,
    summary: 'Cancel a pending redemption and refund it (members: their own; operators: any). Cancelling again refunds nothing',
    body: cancelBodySchema, response: cancelResultSchema,
    errors: { 404: 'NOT_FOUND', 409: 'REDEMPTION_NOT_PENDING (already fulfilled)' },
    handler: ({ principal, params, body }) => redemptions.cancel(principal, params.id, body.reason),
  });
  api.add({
    method: 'post', path: '/mall/redemptions/:id/fulfil', tag, access: ['operator'], params: idParams,
    summary: 'Fulfil a pending redemption: {carrier, trackingNumber} for physical goods, {code} for virtual goods',
    body: fulfilBodySchema, response: redemptionDtoSchema,
    errors: { 404: 'NOT_FOUND', 409: 'REDEMPTION_NOT_PENDING' },
    handler: ({ principal, params, body }) => redemptions.fulfil(principal.memberId, params.id, body),
  });
}
