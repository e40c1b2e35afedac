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
  isMakeUp: boolean;
  heldForReview: boolean;
  featured: boolean;
  review: Review | null;
  createdAt: string;
  author: { id: number; nickname: string; avatarUrl: string | null };
}

export interface CheckinBody {
  text: string;
  imageUrls?: string[];
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
