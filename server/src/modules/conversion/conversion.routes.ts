import { z } from 'zod';
import type { Logger } from 'pino';
import { ApiReply, idParam, type ApiRouter } from '../../platform/http/api-router';
import { AppError } from '../../platform/http/errors';
import { cohortDtoSchema } from '../cohort/cohort.dto';
import {
  conversionSummarySchema, createOfferSchema, memberOfferSchema, offerDtoSchema, orderDtoSchema, paymentParamsSchema,
} from './conversion.dto';
import type { ConversionService } from './conversion.service';
import type { DisbandService } from './disband.service';

const idParams = z.object({ id: idParam });

export function registerConversionRoutes(api: ApiRouter, conversion: ConversionService, disband: DisbandService): void {
  api.add({
    method: 'post', path: '/cohorts/:id/offers', tag: 'conversion', access: ['operator'], params: idParams, status: 201,
    summary: 'Publish the paid offer of a conversion round (1-3)', body: createOfferSchema, response: offerDtoSchema,
    errors: { 404: 'NOT_FOUND', 409: 'OFFER_ROUND_EXISTS or COHORT_DISBANDED' },
    handler: ({ params, body }) => conversion.createOffer(params.id, body),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/offers', tag: 'conversion', access: ['operator'], params: idParams,
    summary: 'The offers of a cohort', response: z.object({ items: z.array(offerDtoSchema) }), errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => conversion.offersOf(params.id),
  });
  api.add({
    method: 'get', path: '/cohorts/:id/conversion', tag: 'conversion', access: ['operator'], params: idParams,
    summary: 'Rounds, views, payers and whether the cohort is ready to disband', response: conversionSummarySchema,
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => conversion.summary(params.id),
  });
  api.add({
    method: 'get', path: '/me/offers', tag: 'conversion', access: 'member',
    summary: 'Offers open to me now (viewing them is recorded)', response: z.object({ items: z.array(memberOfferSchema) }),
    handler: ({ principal }) => conversion.myOpenOffers(principal.memberId),
  });
  api.add({
    method: 'get', path: '/me/orders', tag: 'conversion', access: 'member',
    summary: 'My offer orders, newest first', response: z.object({ items: z.array(orderDtoSchema) }),
    handler: ({ principal }) => conversion.myOrders(principal.memberId),
  });
  api.add({
    method: 'post', path: '/offers/:id/orders', tag: 'conversion', access: 'member', params: idParams, status: 201,
    summary: 'Buy an offer: creates the order and answers the wx.requestPayment parameters', body: z.strictObject({}),
    response: z.object({ order: orderDtoSchema, payment: paymentParamsSchema, fakePayment: z.boolean() }),
    errors: {
      403: 'FORBIDDEN (not in the offer\'s audience)', 404: 'NOT_FOUND', 409: 'OFFER_CLOSED or ALREADY_PURCHASED',
      503: 'PAYMENT_UNAVAILABLE, or PAYMENT_NOT_CONFIGURED (real WeChat login without WECHATPAY_* settings)',
    },
    handler: ({ principal, params }) => conversion.createOrder(principal.memberId, params.id),
  });
  api.add({
    method: 'post', path: '/pay/notify', tag: 'conversion', access: 'public',
    summary: 'WeChat Pay v3 payment notification (signature verified over the raw body; repeats are harmless)',
    response: z.object({ code: z.literal('SUCCESS'), message: z.string() }),
    errors: {
      400: 'WeChat Pay\'s generic {"code": "FAIL", "message": "失败"}: the notification was refused (why is only in the server log)',
      500: '{"code": "FAIL", "message": "失败"}: it could not be recorded now; WeChat Pay sends it again',
    },
    // Signed by WeChat Pay, whose few servers send every notification: a per-address limit would
    // delay members' paid orders by WeChat's retry back-off, and a forgery costs one signature check.
    rateLimit: false,
    handler: async ({ ctx }) => {
      const rawBody = typeof ctx.request.rawBody === 'string' ? ctx.request.rawBody : '';
      try {
        await conversion.handlePaymentNotification(ctx.headers, rawBody);
        return { code: 'SUCCESS' as const, message: '成功' };
      } catch (error) {
        // Which check failed (signature, serial, clock skew, amount) helps a prober, not WeChat Pay:
        // it goes to the log, and the caller gets WeChat Pay's generic failure.
        const log = ctx.state.log as Logger;
        const refused = error instanceof AppError && error.status < 500;
        if (refused) log.warn({ code: error.code, details: error.details }, 'WeChat Pay notification refused');
        else log.error({ err: error }, 'WeChat Pay notification could not be recorded');
        return new ApiReply(refused ? 400 : 500, { code: 'FAIL', message: '失败' });
      }
    },
  });
  if (conversion.paysFake()) {
    api.add({
      method: 'post', path: '/dev/orders/:id/pay', tag: 'dev', access: 'member', params: idParams,
      summary: 'Fake pay mode only: complete my order as if I paid in WeChat (a genuine signed notification is processed)',
      body: z.strictObject({}), response: orderDtoSchema, errors: { 404: 'NOT_FOUND' },
      handler: ({ principal, params }) => conversion.completeFakePayment(principal.memberId, params.id),
    });
  }
  api.add({
    method: 'post', path: '/cohorts/:id/disband', tag: 'conversion', access: ['operator'], params: idParams,
    summary: 'Disband the cohort after its last day; optionally invite its members to the next cohort',
    body: z.strictObject({ nextCohortId: z.number().int().positive().nullable().optional() }),
    response: z.object({ cohort: cohortDtoSchema, members: z.number().int(), converted: z.number().int(), invited: z.number().int() }),
    errors: { 404: 'NOT_FOUND', 409: 'COHORT_DISBANDED, COHORT_NOT_FINISHED or NEXT_COHORT_NOT_OPEN' },
    handler: ({ principal, params, body }) => disband.disband(principal.memberId, params.id, body.nextCohortId ?? null),
  });
}
