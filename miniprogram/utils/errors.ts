import { ApiError } from '../services/http';

const GENERIC = '出了点问题，请稍后重试';

/**
 * What members read for the server's error codes. The server's messages are English (for developers and
 * logs); a code missing here falls back to the server's message.
 */
export const ERROR_MESSAGES: Record<string, string> = {
  // sessions and input
  UNAUTHENTICATED: '登录已过期，请重新进入小程序',
  FORBIDDEN: '没有权限进行这个操作',
  NOT_FOUND: '内容不存在或已被删除',
  VALIDATION_FAILED: '填写的内容有误，请检查后再试',
  REQUEST_ID_REUSED: '请求重复，请重新提交',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  DATABASE_UNAVAILABLE: '服务繁忙，请稍后重试',
  STORAGE_UNAVAILABLE: '文件服务繁忙，请稍后重试',
  INTERNAL_ERROR: '服务器开小差了，请稍后重试',
  // cohorts and check-ins
  CHECKIN_ALREADY_DONE: '今天已经打过卡了',
  COHORT_NOT_RUNNING: '本期打卡不在进行中',
  COHORT_CLOSED: '本期已停止报名',
  COHORT_DISBANDED: '本期已解散',
  COHORT_NOT_FINISHED: '本期还没有结束，暂不能解散',
  COHORT_ALREADY_STARTED: '本期已开始，不能再修改',
  NEXT_COHORT_NOT_OPEN: '所选的下一期已不在报名或进行中',
  NOT_ENROLLED: '你还没有加入本期打卡',
  GROUP_PROOF_INVALID: '未能确认群信息，请从本期微信群的卡片重新进入',
  GROUP_MISMATCH: '这不是本期的打卡群，不带群证明打卡可得基础积分',
  GROUP_ALREADY_BOUND: '本期已绑定打卡群',
  CONTENT_REJECTED: '内容未通过安全检查，请修改后再试',
  CONTENT_CHECK_UNAVAILABLE: '内容检查暂时不可用，请稍后重试',
  MAKEUP_LIMIT_REACHED: '本期的补卡次数已用完',
  GROUP_BONUS_ALREADY_EARNED: '这次打卡已经拿过群内积分了',
  GROUP_SHARE_TOO_LATE: '只有打卡当天分享到打卡群才能加分',
  GROUP_SHARE_MAKE_UP: '补卡不能再拿群内积分',
  GROUP_BONUS_OFF: '本期没有群内打卡积分',
  NOT_COMPLETED: '全部打卡完成后才能领取结业证书',
  REVIEW_ALREADY_EXISTS: '这条打卡已经点评过了',
  // the web console's QR login
  LOGIN_TICKET_EXPIRED: '二维码已过期，请在电脑上刷新二维码后重新扫码',
  LOGIN_TICKET_ALREADY_APPROVED: '这个二维码已经确认过了',
  REMOVED_FROM_COHORT: '你已被移出本期，如有疑问请联系老师或运营',
  TEMPLATE_LIMIT_REACHED: '快捷回复已达上限',
  OWN_CHECKIN: '不能给自己的打卡点赞',
  // uploads
  FILE_TOO_LARGE: '文件太大，请换一个小一点的文件',
  UNSUPPORTED_IMAGE_TYPE: '不支持这种图片格式，请选择 JPG 或 PNG 图片',
  UNSUPPORTED_AUDIO_TYPE: '不支持这种音频格式',
  UNSUPPORTED_MEDIA_TYPE: '不支持这种文件格式',
  AUDIO_TOO_LONG: '录音太长了，超过了本期允许的长度，请录短一点',
  PAYLOAD_TOO_LARGE: '内容太大，请精简后再试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  // points mall
  INSUFFICIENT_POINTS: '积分不足，多打卡攒积分吧',
  OUT_OF_STOCK: '库存不足，商品已兑完',
  LIMIT_EXCEEDED: '已达到每人兑换上限',
  PRODUCT_INACTIVE: '商品已下架',
  REDEMPTION_NOT_PENDING: '这笔兑换已发货或已取消，不能再取消',
  STOCK_BELOW_ZERO: '库存不能少于 0',
  // offers and payment
  OFFER_CLOSED: '优惠已结束',
  OFFER_ROUND_EXISTS: '这一轮已经发布过优惠',
  ALREADY_PURCHASED: '你已经购买过了',
  PAYMENT_UNAVAILABLE: '支付暂时不可用，请稍后重试',
  // WeChat
  WECHAT_CODE_INVALID: '微信登录失败，请重新进入小程序',
  WECHAT_RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_USER_BLOCKED: '微信账号存在风险，暂时无法登录',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请稍后重试',
  WXACODE_RATE_LIMITED: '小程序码生成太频繁，请一分钟后再试',
  WXACODE_PAGE_INVALID: '小程序码暂时生成不了，请联系运营',
  WXACODE_REFUSED: '小程序码暂时生成不了，请稍后再试',
  // operators
  CANNOT_REMOVE_OWN_OPERATOR_ROLE: '不能取消自己的运营身份',
};

/** Any other WeChat failure (`WECHAT_*`). */
const WECHAT_FALLBACK = '微信服务出了点问题，请稍后再试';

/** The Chinese message for a code, or undefined when the table has none. */
export function messageForCode(code: string): string | undefined {
  return ERROR_MESSAGES[code] ?? (code.startsWith('WECHAT_') ? WECHAT_FALLBACK : undefined);
}

/** What a person reads for a failed action: the Chinese message for its code, else the server's message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return messageForCode(error.code) ?? (error.message || GENERIC);
  return GENERIC;
}

export function codeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : 'UNKNOWN_ERROR';
}
