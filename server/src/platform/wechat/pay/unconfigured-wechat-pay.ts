import { paymentNotConfigured, paymentSignatureInvalid } from './pay-errors';
import type { ClientPaymentParams, PaymentNotice, WeChatPay } from './wechat-pay';

/**
 * WeChat Pay when no WECHATPAY_* settings are given with real WeChat login: every order is refused
 * with 503 PAYMENT_NOT_CONFIGURED and every notification is refused, never faked.
 */
export class UnconfiguredWeChatPay implements WeChatPay {
  readonly mode = 'off' as const;

  async createJsapiPayment(): Promise<ClientPaymentParams> {
    throw paymentNotConfigured();
  }

  parseNotification(): PaymentNotice {
    throw paymentSignatureInvalid('WeChat Pay is not configured on this server');
  }
}
