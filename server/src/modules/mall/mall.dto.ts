import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/business-date';
import { idParam } from '../../platform/http/api-router';
import { nullableRef } from '../../platform/http/openapi';
import { pageQuerySchema } from '../../platform/http/paging';
import { productKinds, redemptionStates } from './mall-rules';

const MAX_PRICE = 1_000_000;
const MAX_STOCK = 1_000_000;
const MAX_QUANTITY = 99;

export const requestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
  .openapi({ description: 'Chosen by the client once per purchase; a retry with the same id returns the first result' });

// ---- products ----

export const productDtoSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    imageUrls: z.array(z.string()),
    pointsPrice: z.number().int(),
    stock: z.number().int(),
    inStock: z.boolean(),
    perMemberLimit: z.number().int().nullable().openapi({ description: 'null = unlimited' }),
    active: z.boolean(),
    kind: z.enum(productKinds),
    sortOrder: z.number().int().openapi({ description: 'Catalogue placement: smaller first among products in stock' }),
    myRedeemed: z.number().int().openapi({ description: 'How many the caller holds (pending or fulfilled)' }),
    myRemaining: z.number().int().nullable().openapi({ description: 'How many more the caller may redeem; null = no limit' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MallProduct');
export type ProductDto = z.infer<typeof productDtoSchema>;

const productFields = {
  name: z.string().trim().min(1).max(64),
  description: z.string().trim().max(2000),
  imageUrls: z.array(z.string().max(512)).max(9, 'at most 9 images').openapi({ description: 'URLs from POST /uploads/images' }),
  pointsPrice: z.number().int().min(1).max(MAX_PRICE),
  perMemberLimit: z.number().int().min(1).max(MAX_STOCK).nullable().openapi({ description: 'null = unlimited' }),
  active: z.boolean(),
  kind: z.enum(productKinds),
  sortOrder: z.number().int().min(-10_000).max(10_000).openapi({ description: 'Catalogue placement: smaller first (default 0)' }),
};

export const productCreateSchema = z.strictObject({
  ...productFields,
  description: productFields.description.default(''),
  imageUrls: productFields.imageUrls.default([]),
  perMemberLimit: productFields.perMemberLimit.default(null),
  active: productFields.active.default(true),
  sortOrder: productFields.sortOrder.default(0),
  stock: z.number().int().min(0).max(MAX_STOCK).openapi({ description: 'Initial stock (recorded as the first stock adjustment)' }),
});
export type ProductCreateInput = z.infer<typeof productCreateSchema>;

/** Stock is not editable here: it moves only through audited adjustments and redemptions. */
export const productUpdateSchema = z.strictObject(productFields).partial().strict();
export type ProductUpdateInput = z.infer<typeof productUpdateSchema>;

export const productListQuerySchema = z.strictObject({
  includeInactive: z.enum(['true', 'false']).optional().openapi({ description: 'Operators only: also list inactive products' }),
});

export const stockAdjustmentBodySchema = z.strictObject({
  delta: z.number().int().min(-MAX_STOCK).max(MAX_STOCK).refine((d) => d !== 0, 'must not be 0'),
  note: z.string().trim().min(1, 'say why').max(200),
});

export const stockAdjustmentDtoSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    delta: z.number().int(),
    stockAfter: z.number().int(),
    note: z.string(),
    actorId: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('MallStockAdjustment');

// ---- redemptions ----

export const deliveryAddressSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(32),
    phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number'),
    province: z.string().trim().min(1).max(32),
    city: z.string().trim().min(1).max(32),
    district: z.string().trim().max(32).openapi({ description: 'May be empty where a city has no districts' }),
    detail: z.string().trim().min(1).max(200),
  })
  .openapi('DeliveryAddress', {
    description: 'From wx.chooseAddress: userName, telNumber, provinceName, cityName, countyName, detailInfo',
  });

export const redeemBodySchema = z.strictObject({
  productId: z.number().int().positive().max(2147483647),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  requestId: requestIdSchema,
  address: deliveryAddressSchema.optional().openapi({ description: 'Required for physical goods' }),
});
export type RedeemBody = z.infer<typeof redeemBodySchema>;

export const redemptionDtoSchema = z
  .object({
    id: z.number().int(),
    requestId: z.string(),
    member: z.object({ id: z.number().int(), nickname: z.string() }),
    productId: z.number().int(),
    productName: z.string(),
    imageUrl: z.string().nullable().openapi({ description: "The product's first image, if any" }),
    kind: z.enum(productKinds),
    quantity: z.number().int(),
    unitPrice: z.number().int(),
    pointsTotal: z.number().int(),
    state: z.enum(redemptionStates),
    address: nullableRef(deliveryAddressSchema, 'Where to ship physical goods; null for virtual ones'),
    carrier: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    virtualCode: z.string().nullable().openapi({ description: 'Set when a virtual product is fulfilled' }),
    fulfilledAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    cancelledBy: z.enum(['member', 'operator']).nullable(),
    cancelReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('MallRedemption');
export type RedemptionDto = z.infer<typeof redemptionDtoSchema>;

export const redemptionResultSchema = z
  .object({
    redemption: redemptionDtoSchema,
    balance: z.number().int().openapi({ description: "The redeeming member's balance now" }),
    replayed: z.boolean().openapi({ description: 'true when this answers a retry of an earlier request (same requestId)' }),
  })
  .openapi('MallRedemptionResult');

export const cancelResultSchema = z
  .object({
    redemption: redemptionDtoSchema,
    balance: z.number().int().openapi({ description: "The redeeming member's balance after the refund" }),
  })
  .openapi('MallCancellationResult');

export const cancelBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(200).optional(),
});

export const fulfilBodySchema = z.strictObject({
  carrier: z.string().trim().min(1).max(32).optional().openapi({ description: 'Physical goods: the carrier (e.g. 顺丰)' }),
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,64}$/, 'must be 4-64 letters, digits or -')
    .optional()
    .openapi({ description: 'Physical goods: the tracking number' }),
  code: z.string().trim().min(1).max(256).optional().openapi({ description: 'Virtual goods: the code the member receives' }),
});
export type FulfilBody = z.infer<typeof fulfilBodySchema>;

const stateFilter = z.enum(redemptionStates).optional();

export const myRedemptionsQuerySchema = pageQuerySchema.extend({ state: stateFilter });

const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isCalendarDate, 'must be a real date');

export const redemptionListQuerySchema = pageQuerySchema.extend({
  state: stateFilter,
  productId: idParam.optional(),
  memberId: idParam.optional(),
  cohortId: idParam.optional().openapi({ description: 'Only members enrolled in this cohort' }),
  from: calendarDate.optional().openapi({ description: 'Redeemed on or after this business date' }),
  to: calendarDate.optional().openapi({ description: 'Redeemed on or before this business date' }),
});

export const shippingListQuerySchema = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
});

const sheetRowOutcome = z.object({
  row: z.number().int().openapi({ description: 'Row number in the sheet (the header is row 1)' }),
  redemptionId: z.number().int().nullable(),
});

export const shippingImportResultSchema = z
  .object({
    rows: z.number().int().openapi({ description: 'Rows read (empty rows are skipped)' }),
    applied: z.array(sheetRowOutcome.extend({ carrier: z.string(), trackingNumber: z.string() })),
    unchanged: z.array(sheetRowOutcome).openapi({ description: 'Already fulfilled with this very carrier and number (a re-import)' }),
    refused: z.array(sheetRowOutcome.extend({ code: z.string(), message: z.string().openapi({ description: 'Why, in Chinese for the operator reading the report' }) })),
  })
  .openapi('ShippingImportResult');
export type ShippingImportResult = z.infer<typeof shippingImportResultSchema>;
