import { login, getToken, loginSettled } from './auth';
import { ApiError, httpRequest, type HttpMethod } from './http';
import type {
  AccountDeletion,
  CancelResult,
  Certificate,
  CheckinBody,
  DataExport,
  Checkin,
  CheckinResult,
  Cohort,
  Comment,
  Leaderboard,
  LeaderboardMetric,
  LikeState,
  ConsoleLoginRequest,
  Enrollment,
  GroupProof,
  GroupShareResult,
  Invitations,
  InviteCode,
  Member,
  MemberOffer,
  Notice,
  Order,
  OrderResult,
  Page,
  PointsPage,
  PosterCode,
  ProfileBody,
  PublishedAnnouncement,
  Product,
  Progress,
  RedeemBody,
  Redemption,
  ReferralBody,
  ReferralResult,
  RedemptionResult,
  RedemptionState,
  SubscribeResult,
  ShareSource,
  Subscriptions,
} from './api-types';

export { ApiError, NETWORK_ERROR, mediaUrl } from './http';

/**
 * An authenticated request. Without a token yet (a page opened straight from a share card while the launch
 * login is still running) it waits for that login first. A 401 on a request that carried a stored token
 * means the token expired or was revoked: log in again silently once and retry the request once.
 */
async function request<T>(method: HttpMethod, path: string, body?: object): Promise<T> {
  if (!getToken()) await loginSettled();
  const token = getToken();
  try {
    return await httpRequest<T>({ method, path, body, token });
  } catch (error) {
    if (!token || !(error instanceof ApiError) || error.status !== 401) throw error;
    const { token: freshToken } = await login();
    return httpRequest<T>({ method, path, body, token: freshToken });
  }
}

/** `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const pairs = Object.keys(query)
    .filter((key) => query[key] !== undefined && query[key] !== null && query[key] !== '')
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`);
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}

export interface PageQuery {
  limit?: number;
  before?: string | null;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: object = {}) => request<T>('POST', path, body),
  /** Partial edits (wx.request has no PATCH; the server takes PUT with only the fields that change). */
  put: <T>(path: string, body: object) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),

  me: () => api.get<Member>('/me'),
  /** Everything the server holds about me, as JSON (rate-limited: a few an hour). */
  dataExport: () => api.get<DataExport>('/me/data-export'),
  /** Deletes my account at once (注销); my logins end with it. */
  deleteAccount: () => api.delete<AccountDeletion>('/me'),
  /** Only the fields sent change; a nickname is content-checked (CONTENT_REJECTED). */
  updateMe: (body: ProfileBody) => api.put<Member>('/me', body),

  cohorts: () => api.get<{ items: Cohort[] }>('/cohorts'),
  cohort: (id: number) => api.get<Cohort>(`/cohorts/${id}`),
  /** Today's announcements of a cohort I am in that have gone out (newest first). */
  todaysAnnouncements: (cohortId: number) => api.get<{ items: PublishedAnnouncement[] }>(`/cohorts/${cohortId}/today/announcements`),
  enroll: (id: number) => api.post<Enrollment>(`/cohorts/${id}/enrollments`, {}),
  leave: (id: number) => api.delete<Enrollment>(`/cohorts/${id}/enrollments/me`),
  bindGroup: (id: number, proof: GroupProof) => api.post<Cohort>(`/cohorts/${id}/group`, proof),

  checkIn: (cohortId: number, body: CheckinBody) => api.post<CheckinResult>(`/cohorts/${cohortId}/checkins`, body),
  feed: (cohortId: number, query: PageQuery) => api.get<Page<Checkin>>(withQuery(`/cohorts/${cohortId}/checkins`, { ...query })),
  progress: (cohortId: number) => api.get<Progress>(`/me/cohorts/${cohortId}/progress`),
  like: (checkinId: number) => api.put<LikeState>(`/checkins/${checkinId}/like`, {}),
  unlike: (checkinId: number) => api.delete<LikeState>(`/checkins/${checkinId}/like`),
  comments: (checkinId: number, query: PageQuery) => api.get<Page<Comment>>(withQuery(`/checkins/${checkinId}/comments`, { ...query })),
  comment: (checkinId: number, text: string) => api.post<Comment>(`/checkins/${checkinId}/comments`, { text }),
  deleteComment: (id: number) => api.delete<{ deleted: true }>(`/comments/${id}`),
  leaderboard: (cohortId: number, by: LeaderboardMetric) => api.get<Leaderboard>(withQuery(`/cohorts/${cohortId}/leaderboard`, { by })),
  /** One check-in (my own, or one in a cohort I am in). */
  checkin: (checkinId: number) => api.get<Checkin>(`/checkins/${checkinId}`),

  /** My check-in's card opened in the cohort's group (wx.getShareInfo's proof) earns the group bonus. */
  claimGroupShare: (checkinId: number, proof: GroupProof) => api.post<GroupShareResult>(`/checkins/${checkinId}/group-share`, proof),
  certificate: (cohortId: number) => api.get<Certificate>(`/me/cohorts/${cohortId}/certificate`),

  inviteCode: (cohortId: number, source: ShareSource = 'card') => api.get<InviteCode>(withQuery('/me/invite-code', { cohortId, source })),
  posterCode: (cohortId: number) => api.get<PosterCode>(`/cohorts/${cohortId}/poster-code`),
  /** Records the open of a share; logged in, a newcomer becomes the inviter's invitee. */
  recordOpen: (body: ReferralBody) => api.post<ReferralResult>('/referrals', body),
  invitations: (query: PageQuery) => api.get<Invitations>(withQuery('/me/invitations', { ...query })),

  myPoints: (query: PageQuery) => api.get<PointsPage>(withQuery('/me/points', { ...query })),

  products: () => api.get<{ items: Product[] }>('/mall/products'),
  product: (id: number) => api.get<Product>(`/mall/products/${id}`),
  redeem: (body: RedeemBody) => api.post<RedemptionResult>('/mall/redemptions', body),
  myRedemptions: (query: PageQuery & { state?: RedemptionState | null }) =>
    api.get<Page<Redemption>>(withQuery('/me/redemptions', { ...query })),
  cancelRedemption: (id: number) => api.post<CancelResult>(`/mall/redemptions/${id}/cancel`, {}),

  myOffers: () => api.get<{ items: MemberOffer[] }>('/me/offers'),
  createOrder: (offerId: number) => api.post<OrderResult>(`/offers/${offerId}/orders`, {}),
  /** Fake pay mode only (local development): completes the order as if WeChat Pay had. */
  fakePay: (orderId: number) => api.post<Order>(`/dev/orders/${orderId}/pay`, {}),
  myOrders: () => api.get<{ items: Order[] }>('/me/orders'),
  notifications: () => api.get<{ items: Notice[] }>('/me/notifications'),
  markNoticeRead: (id: number) => api.post<{ id: number; unread: false }>(`/me/notifications/${id}/read`, {}),

  subscriptions: () => api.get<Subscriptions>('/me/subscriptions'),

  /** After scanning the web console's QR code: which browser asks to log in (teachers and operators). */
  consoleLoginRequest: (ticket: string) => api.get<ConsoleLoginRequest>(`/console/login-tickets/${encodeURIComponent(ticket)}/browser`),
  /** Lets that browser into the console with my roles, once (answers 204). */
  approveConsoleLogin: (ticket: string) => api.post<void>(`/console/login-tickets/${encodeURIComponent(ticket)}/approve`, {}),
  recordSubscriptions: (results: Record<string, SubscribeResult>) => api.post<Subscriptions>('/me/subscriptions', { results }),
  /** Turns one kind of message off: the sends banked for it are dropped. */
  stopSubscription: (key: string) => api.delete<Subscriptions>(`/me/subscriptions/${key}`),
};
