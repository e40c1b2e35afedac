import { ApiError } from '../../miniprogram/services/http';
import { ERROR_MESSAGES, messageOf } from '../../miniprogram/utils/errors';

const error = (code: string, message = 'Something in English.') => new ApiError(409, code, message);

test.each([
  ['CHECKIN_ALREADY_DONE', '今天已经打过卡了'],
  ['INSUFFICIENT_POINTS', '积分不足，多打卡攒积分吧'],
  ['OUT_OF_STOCK', '库存不足，商品已兑完'],
  ['OFFER_CLOSED', '优惠已结束'],
  ['PAYMENT_UNAVAILABLE', '支付暂时不可用，请稍后重试'],
  ['VALIDATION_FAILED', '填写的内容有误，请检查后再试'],
])('%s reads in Chinese', (code, message) => {
  expect(messageOf(error(code))).toBe(message);
});

test('every member-facing code of the brief has a Chinese message', () => {
  const codes = [
    'CHECKIN_ALREADY_DONE', 'COHORT_NOT_RUNNING', 'NOT_ENROLLED', 'GROUP_PROOF_INVALID', 'GROUP_MISMATCH', 'CONTENT_REJECTED',
    'MAKEUP_LIMIT_REACHED', 'INSUFFICIENT_POINTS', 'OUT_OF_STOCK', 'LIMIT_EXCEEDED', 'PRODUCT_INACTIVE', 'OFFER_CLOSED',
    'ALREADY_PURCHASED', 'COHORT_CLOSED', 'FILE_TOO_LARGE', 'UNSUPPORTED_IMAGE_TYPE', 'AUDIO_TOO_LONG', 'NETWORK_ERROR',
    'DATABASE_UNAVAILABLE', 'STORAGE_UNAVAILABLE', 'PAYMENT_UNAVAILABLE', 'VALIDATION_FAILED',
    // filling a cohort: limits, posters, sharing into the group, the certificate
    'RATE_LIMITED', 'WXACODE_RATE_LIMITED', 'WXACODE_PAGE_INVALID', 'WXACODE_REFUSED', 'GROUP_BONUS_ALREADY_EARNED',
    'GROUP_SHARE_TOO_LATE', 'GROUP_SHARE_MAKE_UP', 'GROUP_BONUS_OFF', 'NOT_COMPLETED',
  ];
  for (const code of codes) expect(ERROR_MESSAGES[code]).toMatch(/[\u4e00-\u9fa5]/);
});

test('any other WECHAT_* code gets a generic WeChat message; unknown codes fall back to the server message', () => {
  expect(messageOf(error('WECHAT_SOMETHING_NEW'))).toBe('微信服务出了点问题，请稍后再试');
  expect(messageOf(error('SOMETHING_NEW', '服务器说的话'))).toBe('服务器说的话');
  expect(messageOf(new Error('boom'))).toBe('出了点问题，请稍后重试');
});
