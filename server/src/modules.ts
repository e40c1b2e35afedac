import type { AppDeps } from './app';
import { CheckinService } from './modules/checkin/checkin.service';
import { CohortService } from './modules/cohort/cohort.service';
import { IdentityService } from './modules/identity/identity.service';
import { dailyReminderJob } from './modules/notify/daily-reminder.job';
import { NotifyService } from './modules/notify/notify.service';
import { PointsService } from './modules/points/points.service';
import { ReviewService } from './modules/review/review.service';
import { ConversionService } from './modules/conversion/conversion.service';
import { DisbandService } from './modules/conversion/disband.service';
import { offerNoticeJob } from './modules/conversion/offer-notice.job';
import { MetricsService } from './modules/insights/metrics.service';
import { CostService } from './modules/insights/costs.service';
import { AnnouncementService } from './modules/announcement/announcement.service';
import { announcementJob } from './modules/announcement/announcement.job';
import { uploadCleanupJob } from './modules/upload/upload-cleanup.job';
import { UploadService } from './modules/upload/upload.service';
import type { RateLimitPolicyName } from './config';
import { CommentsService } from './modules/interaction/comments.service';
import { LikesService } from './modules/interaction/likes.service';
import { LeaderboardService } from './modules/leaderboard/leaderboard.service';
import { ReferralService } from './modules/referral/referral.service';
import { ConsoleAuthService } from './modules/console-auth/console-auth.service';
import { FollowUpService } from './modules/follow-up/follow-up.service';
import { ModerationService } from './modules/moderation/moderation.service';
import { StaffService } from './modules/staff/staff.service';
import { CacheBus } from './platform/cache/shared-cache';
import { JobScheduler, type ScheduledJob } from './platform/jobs/scheduler';
import { RateLimits } from './platform/rate-limit/rate-limits';
import type { ObjectStorage } from './platform/storage/object-storage';
import { openObjectStorage } from './platform/storage/open-object-storage';
import { RedemptionService } from './modules/mall/redemption.service';
import { AccountDeletionService } from './modules/privacy/account-deletion.service';
import { addressRetentionJob } from './modules/privacy/address-retention.job';
import { DataExportService } from './modules/privacy/data-export.service';

/** Every limit: the route policies of config.ts, and a slot per upload in progress. */
export type LimitName = RateLimitPolicyName | 'uploadsInFlight';
/** A slot left held by a crashed process frees itself after this long. */
const UPLOAD_SLOT_SECONDS = 300;

/** Every module's service, built once from the app's dependencies and shared by HTTP and jobs. */
export interface Modules {
  storage: ObjectStorage;
  limits: RateLimits<LimitName>;
  /** Announces cache changes to every instance (Redis pub/sub); close it at shutdown. */
  cacheBus: CacheBus;
  uploads: UploadService;
  identity: IdentityService;
  cohorts: CohortService;
  checkins: CheckinService;
  points: PointsService;
  notify: NotifyService;
  reviews: ReviewService;
  conversion: ConversionService;
  disband: DisbandService;
  metrics: MetricsService;
  costs: CostService;
  announcements: AnnouncementService;
  likes: LikesService;
  comments: CommentsService;
  leaderboard: LeaderboardService;
  referrals: ReferralService;
  consoleAuth: ConsoleAuthService;
  followUps: FollowUpService;
  moderation: ModerationService;
  staff: StaffService;
  dataExports: DataExportService;
  accountDeletion: AccountDeletionService;
}

export function createModules(deps: AppDeps): Modules {
  const { config, dataSource, clock, wechat } = deps;
  const storage = deps.storage ?? openObjectStorage(config.storage);
  const sharedRedis = deps.redis && config.redis ? { client: deps.redis, keyPrefix: config.redis.keyPrefix } : null;
  const cacheBus = new CacheBus({ redis: sharedRedis, logger: deps.logger });
  const limits = new RateLimits<LimitName>(
    {
      ...config.rateLimits.policies,
      uploadsInFlight: { per: 'member', points: config.uploads.maxInFlightPerMember, durationSeconds: UPLOAD_SLOT_SECONDS },
    },
    {
      enabled: config.rateLimits.enabled,
      redis: sharedRedis,
      logger: deps.logger,
    },
  );
  const uploads = new UploadService(dataSource, clock, storage, {
    dailyBytesPerMember: config.uploads.dailyBytesPerMember,
    quotaEnabled: config.rateLimits.enabled,
  });
  const identity = new IdentityService(dataSource, wechat.auth, wechat.contentCheck, clock, uploads, {
    operatorOpenids: config.operatorOpenids,
    tokenTtlDays: config.tokenTtlDays,
  }, cacheBus);
  const groupProofSettings = { wechatAppId: config.wechat.appId, groupProofMaxAgeSeconds: config.groupProofMaxAgeSeconds };
  const cohorts = new CohortService(dataSource, clock, uploads, { timeZone: config.businessTimeZone, ...groupProofSettings }, cacheBus);
  const notify = new NotifyService(dataSource, clock, wechat.subscribeMessages, config.wechat.templates);
  const reviews = new ReviewService(dataSource, clock, cohorts, wechat.contentCheck, notify, uploads, config.businessTimeZone);
  const checkins = new CheckinService(dataSource, clock, cohorts, wechat.contentCheck, reviews, uploads, groupProofSettings);
  const likes = new LikesService(dataSource, clock, checkins);
  const comments = new CommentsService(dataSource, clock, checkins, wechat.contentCheck);
  const leaderboard = new LeaderboardService(dataSource, cohorts);
  const points = new PointsService(dataSource, clock);
  const conversion = new ConversionService(dataSource, clock, cohorts, wechat.pay, config.businessTimeZone);
  const disband = new DisbandService(dataSource, clock, cohorts, notify);
  const metrics = new MetricsService(dataSource, cohorts, conversion);
  const costs = new CostService(dataSource, clock);
  const announcements = new AnnouncementService(dataSource, clock, cohorts, notify, config.businessTimeZone);
  const referrals = new ReferralService(dataSource, clock, cohorts, storage, wechat.wxaCode);
  const consoleAuth = new ConsoleAuthService(dataSource, clock, identity);
  identity.alsoEnds(consoleAuth);
  const followUps = new FollowUpService(dataSource, clock, cohorts, config.businessTimeZone);
  const moderation = new ModerationService(dataSource, clock, notify);
  const staff = new StaffService(dataSource, cohorts, identity);
  const dataExports = new DataExportService(dataSource, clock);
  const accountDeletion = new AccountDeletionService(dataSource, clock, identity, new RedemptionService(dataSource, clock, config.businessTimeZone), uploads);
  return { storage, limits, cacheBus, uploads, identity, cohorts, checkins, points, notify, reviews, conversion, disband, metrics, costs, announcements, likes, comments, leaderboard, referrals, consoleAuth, followUps, moderation, staff, dataExports, accountDeletion };
}

/** The in-process scheduler with every scheduled job; main.ts starts it. */
export function createScheduler(deps: AppDeps, modules: Modules, instanceId?: string): JobScheduler {
  const lapseUnpaidOrders: ScheduledJob = {
    name: 'lapse-unpaid-orders',
    // Conditional updates: running it twice changes nothing, so every tick may run it.
    run: (now) => modules.conversion.lapseUnpaidOrders(now),
  };
  const timeZone = deps.config.businessTimeZone;
  const jobs = [
    dailyReminderJob(deps.dataSource, modules.notify, timeZone),
    offerNoticeJob(modules.conversion, modules.notify, timeZone),
    lapseUnpaidOrders,
    uploadCleanupJob(modules.uploads),
    addressRetentionJob(deps.dataSource, deps.logger, deps.config.addressRetentionDays),
    announcementJob(modules.announcements),
  ];
  return new JobScheduler(deps.dataSource, deps.clock, jobs, deps.logger, instanceId);
}
