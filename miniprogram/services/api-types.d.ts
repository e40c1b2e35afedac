/**
 * The API's shapes under the names the Mini Program uses, all taken from the types generated off the
 * OpenAPI document (server/client-types/api.d.ts, `npm run api:types`): nothing here restates a field.
 * Types only: a .d.ts emits no empty .js module.
 */
import type { JsonAnswer, JsonBody, Schema } from '../../server/client-types/api';

export type Member = Schema<'Member'>;
export type Role = Member['roles'][number];
/** The roles an operator grants; "member" is implicit. */
export type GrantableRole = Exclude<Role, 'member'>;
export type LoginResponse = JsonAnswer<'/api/v1/auth/wechat-login', 'post'>;
export type ErrorBody = Schema<'ErrorBody'>;
export type ProfileBody = JsonBody<'/api/v1/me', 'put'>;

export type Cohort = Schema<'Cohort'>;
export type CohortStatus = Cohort['status'];
/** What a check-in may hold: text, photo, voice. */
export type CheckinKind = Cohort['checkinKinds'][number];
/** The cohort's WeChat group QR: WeChat expires it 7 days after it is made; `expiring` from day 6. */
export type GroupQr = Schema<'GroupQr'>;
export type CohortMe = Schema<'CohortMe'>;
export type PointsRules = Schema<'PointsRules'>;
export type Enrollment = Schema<'Enrollment'>;
export type GroupProof = Schema<'GroupProof'>;
export type CohortCreateBody = JsonBody<'/api/v1/cohorts', 'post'>;

export type Review = Schema<'Review'>;
export type Checkin = Schema<'Checkin'>;
export type CheckinBody = JsonBody<'/api/v1/cohorts/{id}/checkins', 'post'>;
export type CheckinResult = Schema<'CheckinResult'>;
export type Award = CheckinResult['awards'][number];
export type Streak = Schema<'Streak'>;
export type Progress = Schema<'Progress'>;
export type ProgressDay = Progress['days'][number];
export type DayState = ProgressDay['state'];

/** A member as others see them (check-in authors, commenters, the leaderboard). */
export type PublicMember = Checkin['author'];
export type LikeState = Schema<'LikeState'>;
export type Comment = Schema<'Comment'>;
export type Leaderboard = Schema<'Leaderboard'>;
export type LeaderboardMetric = Leaderboard['by'];

/** A cursor-paged list, as every paged route answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type PointsEntry = Schema<'PointsEntry'>;
export type PointsPage = JsonAnswer<'/api/v1/me/points', 'get'>;

export type Subscriptions = Schema<'Subscriptions'>;
export type SubscriptionTemplate = Subscriptions['templates'][number];
export type SubscribeResult = JsonBody<'/api/v1/me/subscriptions', 'post'>['results'][string];

export type UploadedImage = Schema<'UploadedImage'>;
export type UploadedAudio = Schema<'UploadedAudio'>;

export type ReviewQueue = Schema<'ReviewQueue'>;
export type QueueItem = ReviewQueue['items'][number];
export type ReviewTemplate = Schema<'ReviewTemplate'>;
export type ReviewBody = JsonBody<'/api/v1/checkins/{id}/reviews', 'post'>;

export type Product = Schema<'MallProduct'>;
export type ProductKind = Product['kind'];
export type DeliveryAddress = Schema<'DeliveryAddress'>;
export type Redemption = Schema<'MallRedemption'>;
export type RedemptionState = Redemption['state'];
export type RedeemBody = JsonBody<'/api/v1/mall/redemptions', 'post'>;
export type RedemptionResult = Schema<'MallRedemptionResult'>;
export type CancelResult = Schema<'MallCancellationResult'>;

export type Offer = Schema<'Offer'>;
/** An announcement the cohort's staff scheduled, once it has gone out today. */
export type PublishedAnnouncement = Schema<'PublishedAnnouncement'>;
export type OfferAudience = Offer['audience'];
export type MemberOffer = JsonAnswer<'/api/v1/me/offers', 'get'>['items'][number];
export type Order = Schema<'OfferOrder'>;
export type OrderState = Order['state'];
export type PaymentParams = Schema<'PaymentParams'>;
export type OrderResult = JsonAnswer<'/api/v1/offers/{id}/orders', 'post'>;
export type OfferCreateBody = JsonBody<'/api/v1/cohorts/{id}/offers', 'post'>;
export type ConversionSummary = Schema<'ConversionSummary'>;
export type ConversionRound = ConversionSummary['rounds'][number];
export type DisbandResult = JsonAnswer<'/api/v1/cohorts/{id}/disband', 'post'>;

export type CohortMetrics = Schema<'CohortMetrics'>;
/** One row of the entry funnel: opens of shares -> who opened them -> joined after that -> checked in. */
export type EntrySteps = Schema<'EntrySteps'>;
export type MetricsOverviewItem = JsonAnswer<'/api/v1/metrics/overview', 'get'>['items'][number];

export type Notice = JsonAnswer<'/api/v1/me/notifications', 'get'>['items'][number];

/** The console login the confirm page describes (after scanning 扫码登录控制台). */
export type ConsoleLoginRequest = JsonAnswer<'/api/v1/console/login-tickets/{ticket}/browser', 'get'>;

/** A member as an invitation or a top-inviter row names them. */
export type Person = Schema<'Invitation'>['invitee'];
/** What a member shares: a poster (or daily card, or certificate) with the code, a chat card, Moments. */
export type ShareSource = Schema<'InviteCode'>['source'];
/** How a share was opened: a scanned code, a one-to-one chat's card, Moments, a card in a group chat. */
export type OpenSource = Schema<'Invitation'>['source'];
export type InviteCode = Schema<'InviteCode'>;
export type PosterCode = Schema<'PosterCode'>;
export type ReferralBody = JsonBody<'/api/v1/referrals', 'post'>;
export type ReferralResult = Schema<'ReferralResult'>;
export type Invitation = Schema<'Invitation'>;
export type Invitations = Schema<'Invitations'>;
export type GroupShareResult = Schema<'GroupShareResult'>;
export type Certificate = Schema<'Certificate'>;

/** A copy of everything the server holds about me (GET /me/data-export). */
export type DataExport = Schema<'DataExport'>;
/** DELETE /me: the account is deleted at once. */
export type AccountDeletion = JsonAnswer<'/api/v1/me', 'delete'>;
