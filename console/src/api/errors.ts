/** An API answer that was not a success, with the server's stable code and a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What an operator reads for the codes the console meets; other codes show the server's message. */
const chinese: Record<string, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  UNAUTHENTICATED: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已被删除',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  COHORT_ALREADY_STARTED: '打卡期已开始，这些内容不能再修改',
  PROMPT_LOCKED: '已到达的日子的任务不能再修改',
  TAG_EXISTS: '已有同名标签',
  NOT_HELD: '这条打卡已被其他人处理',
  ALREADY_REMOVED: '该学员已被移出',
  LOGIN_TICKET_EXPIRED: '二维码已过期，请刷新',
  CANNOT_REMOVE_OWN_OPERATOR_ROLE: '不能取消自己的运营角色',
  INSUFFICIENT_POINTS: '积分不足，调整后余额不能为负',
  REVIEW_ALREADY_EXISTS: '这条打卡已有点评',
  CONTENT_REJECTED: '内容未通过微信内容安全检查',
  DATABASE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  STOCK_BELOW_ZERO: '库存不足，调整后库存不能为负',
  REDEMPTION_NOT_PENDING: '这笔兑换已被处理（已发货或已取消）',
  FILE_TOO_LARGE: '文件太大，请压缩或拆分后再上传',
  UNSUPPORTED_IMAGE_TYPE: '只能上传 JPG、PNG 或 WebP 图片',
  STORAGE_UNAVAILABLE: '文件存储暂时不可用，请稍后再试',
};

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const known = chinese[error.code];
    if (error.code === 'VALIDATION_FAILED') return `输入有误：${error.message}`;
    return known ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
