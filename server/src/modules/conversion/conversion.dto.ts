import { z } from 'zod';
import { nullableRef } from '../../platform/http/openapi';

export const offerDtoSchema = z
  .object({
    id: z.number().int(),
    cohortId: z.number().int(),
    round: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    priceFen: z.number().int(),
    originalPriceFen: z.number().int().nullable(),
    opensAt: z.string(),
    closesAt: z.string(),
    audience: z.enum(['all', 'finishers']),
  })
  .openapi('Offer');

export const createOfferSchema = z.strictObject({
  round: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  title: z.string().trim().min(1).max(64),
  description: z.string().trim().max(2000).nullable().optional(),
  priceFen: z.number().int().min(1).max(100_000_00),
  originalPriceFen: z.number().int().min(1).max(100_000_00).nullable().optional(),
  opensAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: start of day N+2r-1' }),
  closesAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: start of day N+2r+1' }),
  audience: z.enum(['all', 'finishers']).default('all'),
});
export type CreateOfferInput = z.infer<typeof createOfferSchema>;

export const memberOfferSchema = offerDtoSchema
  .extend({ cohortTitle: z.string(), purchased: z.boolean() })
  .openapi('MemberOffer');

export const orderDtoSchema = z
  .object({
    id: z.number().int(),
    offerId: z.number().int(),
    outTradeNo: z.string(),
    amountFen: z.number().int(),
    state: z.enum(['created', 'paid', 'closed', 'expired']),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
  })
  .openapi('OfferOrder');

export const paymentParamsSchema = z
  .object({ timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal('RSA'), paySign: z.string() })
  .openapi('PaymentParams', { description: 'Pass to wx.requestPayment' });

export const conversionSummarySchema = z
  .object({
    cohortId: z.number().int(),
    status: z.string(),
    disbandReady: z.boolean(),
    disbandReadyReason: z.string().nullable(),
    disbandReadyCode: z.enum(['ROUND_WITHOUT_NEW_PAYER', 'LAST_ROUND_CLOSED']).nullable(),
    disbandReadyRound: z.number().int().nullable(),
    rounds: z.array(z.object({
      round: z.number().int(),
      opensAt: z.string(),
      closesAt: z.string(),
      offer: nullableRef(offerDtoSchema, 'The offer of this round, once published'),
      views: z.number().int(),
      paidOrders: z.number().int(),
      newPayers: z.number().int(),
      revenueFen: z.number().int(),
    })),
  })
  .openapi('ConversionSummary');
