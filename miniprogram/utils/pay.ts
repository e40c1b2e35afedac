import type { PaymentParams } from '../services/api-types';

/** wx.requestPayment's failure, e.g. `requestPayment:fail cancel` when the person closed the payment sheet. */
export class PaymentFailed extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg);
    this.name = 'PaymentFailed';
  }

  get cancelled(): boolean {
    return /cancel/i.test(this.errMsg);
  }
}

/** WeChat Pay's sheet with the server's parameters; rejects with PaymentFailed. */
export function requestPayment(payment: PaymentParams): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType,
      paySign: payment.paySign,
      success: () => resolve(),
      fail: (err) => reject(new PaymentFailed(err.errMsg)),
    });
  });
}
