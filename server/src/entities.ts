import { Checkin } from './modules/checkin/checkin.entity';
import { Cohort, CohortPrompt, CohortTeacher, Enrollment } from './modules/cohort/cohort.entity';
import { AuthToken } from './modules/identity/auth-token.entity';
import { MemberRole } from './modules/identity/member-role.entity';
import { Member } from './modules/identity/member.entity';
import { CohortOutcome, Offer, OfferOrder, OfferView } from './modules/conversion/conversion.entity';
import { mallEntities } from './modules/mall/mall.entities';
import { Notification, SubscriptionConsent } from './modules/notify/notify.entity';
import { Review, ReviewTemplate } from './modules/review/review.entity';
import { JobRun } from './platform/jobs/job-run.entity';
import { MemberPoints, PointsLedgerLine } from './modules/points/points.entity';
import { Upload, UploadUse } from './modules/upload/upload.entity';
import { interactionEntities } from './modules/interaction/interaction.entities';
import { CohortStanding } from './modules/leaderboard/standing.entity';
import { referralEntities } from './modules/referral/referral.entities';
import { ConsoleLoginTicket, ConsoleSession } from './modules/console-auth/console-auth.entity';
import { AuditEntry } from './modules/audit/audit.entity';
import { FollowUp, FollowUpEvent, MemberTag, Tag } from './modules/follow-up/follow-up.entity';
import { CostEntry } from './modules/insights/cost-entry.entity';
import { CohortAnnouncement } from './modules/announcement/announcement.entity';

/**
 * Every entity of every module (and the job scheduler's own): main.ts, the migration check and the
 * tests open the DataSource with this list, so the platform's database layer names no module.
 */
export const entities = [
  Member, MemberRole, AuthToken,
  Cohort, CohortPrompt, CohortTeacher, Enrollment,
  Checkin,
  ...interactionEntities,
  CohortStanding,
  MemberPoints, PointsLedgerLine,
  ...mallEntities,
  Review, ReviewTemplate,
  SubscriptionConsent, Notification,
  JobRun,
  Offer, OfferView, OfferOrder, CohortOutcome,
  Upload, UploadUse,
  ...referralEntities,
  ConsoleLoginTicket, ConsoleSession,
  AuditEntry, Tag, MemberTag, FollowUp, FollowUpEvent,
  CostEntry, CohortAnnouncement,
];
