/** Shapes of the server's HTTP contract (DESIGN.md §5) that the Mini Program uses. Types only: a .d.ts emits no empty .js module. */
export type Role = 'member' | 'teacher' | 'operator';

export interface Member {
  id: number;
  nickname: string;
  avatarUrl: string | null;
  roles: Role[];
}

export interface LoginResponse {
  token: string;
  member: Member;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export type CohortStatus = 'recruiting' | 'running' | 'converting' | 'disbanded';

export interface PointsRules {
  basePoints: number;
  groupBonusPoints: number;
  streakBonusPoints: number;
  completionBonusPoints: number;
  makeUpCost: number;
  makeUpLimit: number;
  /** What an inviter earns when an invitee makes a first check-in here. */
  inviteRewardPoints: number;
  /** At most this many invitees earn one inviter the reward here. */
  inviteRewardLimit: number;
}

export interface Cohort {
  id: number;
  title: string;
  theme: string;
  durationDays: number;
  startDate: string;
  endDate: string;
  status: CohortStatus;
  /** Today's day (1..durationDays) while running, else null. */
  dayIndex: number | null;
  coverImageUrl: string | null;
  rules: string | null;
  welcomeMessage: string | null;
  announcement: string | null;
  groupBound: boolean;
  teacherIds: number[];
  points: PointsRules;
  memberCount: number;
  enrolled: boolean;
  todayPrompt: string | null;
  prompts: { dayIndex: number; text: string }[];
  clonedFromId: number | null;
  disbandedAt: string | null;
  nextCohortId: number | null;
  /** The way into the cohort's WeChat group (members, teachers and operators only). */
  groupQr: GroupQr | null;
  /** When the daily reminder goes out, "HH:MM" (Beijing time). */
  reminderTime: string;
  /** The caller's own state in the cohort. */
  me: CohortMe;
  /** What a check-in may hold (at least one of them): spoken English wants voice, painting photos. */
  checkinKinds: CheckinKind[];
  /** The longest recording a check-in may carry, in seconds. */
  maxAudioSeconds: number;
}

export type CheckinKind = 'text' | 'photo' | 'voice';

/** The group's QR code: WeChat expires it 7 days after it is made; `expiring` from day 6. */
export interface GroupQr {
  url: string;
  uploadedAt: string;
  expiresAt: string;
  state: 'fresh' | 'expiring' | 'expired';
}

export interface CohortMe {
  enrolled: boolean;
  /** Today's check-in is done (false when the cohort is not running). */
  checkedInToday: boolean;
  todayCheckinId: number | null;
  streak: { current: number; longest: number; total: number };
  /** Past days without a check-in (what a make-up can fill). */
  missedDays: number;
  makeUpsLeft: number;
}

export interface Enrollment {
  cohortId: number;
  memberId: number;
  joinedAt: string;
  active: boolean;
}

/** From wx.getGroupEnterInfo (or wx.getShareInfo) when the Mini Program was opened from a group's card. */
export interface GroupProof {
  encryptedData: string;
  iv: string;
}

export interface Review {
  id: number;
  checkinId: number;
  teacher: { id: number; nickname: string };
  text: string;
  audioUrl: string | null;
  audioSeconds: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Checkin {
  id: number;
  cohortId: number;
  dayIndex: number;
  date: string;
  text: string;
  imageUrls: string[];
  viaGroup: boolean;
  /** Earned the group bonus afterwards by being shared into the cohort's group. */
  sharedToGroup: boolean;
  isMakeUp: boolean;
  heldForReview: boolean;
  featured: boolean;
  review: Review | null;
  createdAt: string;
  author: PublicMember;
  /** The member's recording and its length as the server measured it. */
  audioUrl: string | null;
  audioSeconds: number | null;
  likeCount: number;
  likedByMe: boolean;
  /** Published comments (held ones are not counted). */
  commentCount: number;
}

export interface PublicMember {
  id: number;
  nickname: string;
  avatarUrl: string | null;
}

export interface LikeState {
  liked: boolean;
  likeCount: number;
}

export interface Comment {
  id: number;
  checkinId: number;
  text: string;
  author: PublicMember;
  byTeacher: boolean;
  /** Held by the content check: only its author and staff see it. */
  heldForReview: boolean;
  canDelete: boolean;
  createdAt: string;
}

export type LeaderboardMetric = 'points' | 'streak' | 'likes';

export interface Leaderboard {
  by: LeaderboardMetric;
  /** The top 50 with a value above 0. */
  items: { rank: number; member: PublicMember; value: number }[];
  /** My own row; rank null while my value is 0; null for staff who are not enrolled. */
  me: { rank: number | null; member: PublicMember; value: number } | null;
}

export interface CheckinBody {
  /** Optional when a photo or a recording is there. */
  text?: string;
  imageUrls?: string[];
  /** My recording from POST /uploads/audio. */
  audioUrl?: string;
  groupProof?: GroupProof;
  makeUpDate?: string;
}

export interface Award {
  reason: string;
  points: number;
}

export interface Streak {
  current: number;
  longest: number;
  total: number;
}

export interface CheckinResult {
  checkin: Checkin;
  awards: Award[];
  streak: Streak;
  /** What to celebrate: a streak milestone (7, 14, 21) reached, the cohort completed. */
  milestones: { streakDays: number | null; completed: boolean };
  balance: number;
}

export type DayState = 'done' | 'made-up' | 'missed' | 'today' | 'upcoming';

export interface ProgressDay {
  dayIndex: number;
  date: string;
  state: DayState;
  prompt: string | null;
  checkinId: number | null;
  review: Review | null;
}

export interface Progress {
  cohortId: number;
  status: CohortStatus;
  dayIndex: number | null;
  days: ProgressDay[];
  streak: Streak;
  makeUpsUsed: number;
  makeUpsLeft: number;
  makeUpCost: number;
  balance: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PointsEntry {
  id: number;
  delta: number;
  reason: string;
  refType: string | null;
  refId: number | null;
  note: string | null;
  createdAt: string;
}

export interface PointsPage {
  balance: number;
  entries: PointsEntry[];
  nextCursor: string | null;
}

export interface SubscriptionTemplate {
  key: string;
  templateId: string;
  sendsLeft: number;
}

export interface Subscriptions {
  templates: SubscriptionTemplate[];
}

export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter';

export interface UploadedImage {
  key: string;
  url: string;
  contentType: string;
  bytes: number;
}

export interface UploadedAudio extends UploadedImage {
  durationSeconds: number;
}

export interface QueueItem extends Checkin {
  cohortTitle: string;
}

export interface ReviewQueue {
  items: QueueItem[];
  nextCursor: string | null;
  counts: { pendingToday: number; pendingTotal: number; doneToday: number };
}

export interface ReviewTemplate {
  id: number;
  text: string;
}

export interface ReviewBody {
  text: string;
  audioUrl?: string | null;
  audioSeconds?: number | null;
}

// ----- points mall -----

export type ProductKind = 'physical' | 'virtual';

export interface Product {
  id: number;
  name: string;
  description: string;
  imageUrls: string[];
  pointsPrice: number;
  stock: number;
  inStock: boolean;
  /** null = unlimited. */
  perMemberLimit: number | null;
  active: boolean;
  kind: ProductKind;
  /** How many I hold (pending or fulfilled). */
  myRedeemed: number;
  /** How many more I may redeem; null = no limit. */
  myRemaining: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The server's address shape (from wx.chooseAddress). */
export interface DeliveryAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export type RedemptionState = 'pending' | 'fulfilled' | 'cancelled';

export interface Redemption {
  id: number;
  requestId: string;
  member: { id: number; nickname: string };
  productId: number;
  productName: string;
  imageUrl: string | null;
  kind: ProductKind;
  quantity: number;
  unitPrice: number;
  pointsTotal: number;
  state: RedemptionState;
  address: DeliveryAddress | null;
  carrier: string | null;
  trackingNumber: string | null;
  virtualCode: string | null;
  fulfilledAt: string | null;
  cancelledAt: string | null;
  cancelledBy: 'member' | 'operator' | null;
  cancelReason: string | null;
  createdAt: string;
}

export interface RedeemBody {
  productId: number;
  quantity: number;
  requestId: string;
  address?: DeliveryAddress;
}

export interface RedemptionResult {
  redemption: Redemption;
  balance: number;
  /** true when this answers a retry of an earlier request (same requestId). */
  replayed: boolean;
}

export interface CancelResult {
  redemption: Redemption;
  balance: number;
}

// ----- conversion offers -----

export type OfferAudience = 'all' | 'finishers';

export interface Offer {
  id: number;
  cohortId: number;
  round: number;
  title: string;
  description: string | null;
  priceFen: number;
  originalPriceFen: number | null;
  opensAt: string;
  closesAt: string;
  audience: OfferAudience;
}

export interface MemberOffer extends Offer {
  cohortTitle: string;
  purchased: boolean;
}

export type OrderState = 'created' | 'paid' | 'closed' | 'expired';

export interface Order {
  id: number;
  offerId: number;
  outTradeNo: string;
  amountFen: number;
  state: OrderState;
  createdAt: string;
  paidAt: string | null;
}

/** Passed as-is to wx.requestPayment. */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface OrderResult {
  order: Order;
  payment: PaymentParams;
  /** Local development: complete with POST /dev/orders/:id/pay instead of wx.requestPayment. */
  fakePayment: boolean;
}

// ----- in-app notices -----

export interface Notice {
  id: number;
  /** 'invitation' for an invitation to the next cohort. */
  kind: string;
  /** A Mini Program page with its query, without the leading slash: `pages/cohort/index?id=9`. */
  page: string;
  data: Record<string, string>;
  unread: boolean;
  createdAt: string;
}

// ----- operators -----

export interface CohortCreateBody {
  title: string;
  theme: string;
  durationDays: 7 | 14 | 21;
  startDate: string;
  teacherIds?: number[];
  prompts?: string[];
  rules?: string | null;
  welcomeMessage?: string | null;
  announcement?: string | null;
  /** "HH:MM" */
  reminderTime?: string;
}

/** The roles an operator grants; "member" is implicit. */
export type GrantableRole = 'teacher' | 'operator';

export interface ProfileBody {
  nickname?: string;
  avatarUrl?: string | null;
}

export interface OfferCreateBody {
  round: 1 | 2 | 3;
  title: string;
  description?: string | null;
  priceFen: number;
  originalPriceFen?: number | null;
  audience: OfferAudience;
}

export interface ConversionRound {
  round: number;
  opensAt: string;
  closesAt: string;
  offer: Offer | null;
  views: number;
  paidOrders: number;
  newPayers: number;
  revenueFen: number;
}

export interface ConversionSummary {
  cohortId: number;
  status: string;
  disbandReady: boolean;
  /** English, for developers; show disbandReadyCode / disbandReadyRound instead. */
  disbandReadyReason: string | null;
  disbandReadyCode: 'ROUND_WITHOUT_NEW_PAYER' | 'LAST_ROUND_CLOSED' | null;
  /** The round whose close made the cohort ready. */
  disbandReadyRound: number | null;
  rounds: ConversionRound[];
}

export interface CohortMetrics {
  cohortId: number;
  title: string;
  status: string;
  durationDays: number;
  enrolled: number;
  active: number;
  quits: number;
  quitRate: number;
  groupVerifiedMembers: number;
  checkinRateByDay: { day: number; checkins: number; rate: number }[];
  completed: number;
  completionRate: number;
  streakDistribution: { longestStreak: string; members: number }[];
  checkins: number;
  reviewCoverage: number;
  medianReviewLatencySeconds: number | null;
  rounds: { round: number; offerViews: number; orders: number; newPayers: number; conversionRate: number; revenueFen: number }[];
  payers: number;
  conversionRate: number;
  orders: number;
  revenueFen: number;
  averageOrderValueFen: number;
  disbandReady: boolean;
  entry: { sources: EntrySteps[]; total: EntrySteps; entryRate: number };
  topInviters: { member: Person; invited: number; joined: number; checkedIn: number; rewardPoints: number }[];
}

/** One row of the entry funnel: opens of shares -> who opened them -> joined after that -> checked in. */
export interface EntrySteps {
  source: OpenSource | 'all';
  opens: number;
  visitors: number;
  joins: number;
  firstCheckins: number;
}

export interface MetricsOverviewItem {
  cohortId: number;
  title: string;
  startDate: string;
  status: string;
  enrolled: number;
  completionRate: number;
  conversionRate: number;
  revenueFen: number;
}

export interface DisbandResult {
  cohort: Cohort;
  members: number;
  converted: number;
  invited: number;
}

export interface Person {
  id: number;
  nickname: string;
  avatarUrl: string | null;
}

/** What a member shares: a poster (or daily card, or certificate) with the code, a chat card, Moments. */
export type ShareSource = 'poster' | 'card' | 'timeline';
/** How a share was opened: a scanned code, a one-to-one chat's card, Moments, a card in a group chat. */
export type OpenSource = 'poster' | 'card' | 'timeline' | 'group';

export interface InviteCode {
  code: string;
  cohortId: number;
  source: ShareSource;
  scene: string;
  path: string;
}

export interface PosterCode {
  code: string;
  cohortId: number;
  scene: string;
  page: string;
  imageUrl: string;
}

export interface ReferralBody {
  inviteCode: string;
  cohortId?: number;
  source: OpenSource;
}

export interface ReferralResult {
  cohortId: number;
  attributed: boolean;
  reason: 'attributed' | 'self' | 'already_enrolled' | 'already_attributed' | 'cohort_closed' | 'not_logged_in';
  inviter: Person;
}

export interface Invitation {
  id: number;
  invitee: Person;
  cohort: { id: number; title: string };
  source: OpenSource;
  invitedAt: string;
  joined: boolean;
  checkedIn: boolean;
  /** Earned at the invitee's first check-in; 0 when the cohort's limit was reached; null before. */
  rewardPoints: number | null;
}

export interface Invitations {
  summary: { invited: number; joined: number; checkedIn: number; earnedPoints: number };
  items: Invitation[];
  nextCursor: string | null;
}

export interface GroupShareResult {
  award: { reason: 'group_bonus'; points: number };
  balance: number;
}

export interface Certificate {
  cohortId: number;
  cohortTitle: string;
  theme: string;
  nickname: string;
  avatarUrl: string | null;
  durationDays: number;
  daysCheckedIn: number;
  longestStreak: number;
  pointsEarned: number;
  startDate: string;
  completedOn: string;
}
