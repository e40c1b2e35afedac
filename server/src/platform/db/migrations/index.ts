import { Identity1763870000000 } from './1763870000000-identity';
import { CohortsCheckinsPoints1763960000000 } from './1763960000000-cohorts-checkins-points';
import { Mall1764050000000 } from './1764050000000-mall';
import { ReviewsNotifyJobs1764100000000 } from './1764100000000-reviews-notify-jobs';
import { Conversion1764150000000 } from './1764150000000-conversion';
import { ReadIndexes1764200000000 } from './1764200000000-read-indexes';
import { ReviewLatency1764250000000 } from './1764250000000-review-latency';
import { ConsoleLogin1764312100000 } from './1764312100000-console-login';
import { StaffDesk1764312200000 } from './1764312200000-staff-desk';
import { Uploads1764316000016 } from './1764316000016-uploads';
import { LikesCommentsStandings1764320000011 } from './1764320000011-likes-comments-standings';
import { InvitationsGroupEntry1764340000014 } from './1764340000014-invitations-group-entry';
import { Privacy1764360000015 } from './1764360000015-privacy';
import { ProductOrder1764400000013 } from './1764400000013-product-order';
import { StandingDoneDays1764400000017 } from './1764400000017-standing-done-days';
import { CostEntries1764400000113 } from './1764400000113-cost-entries';
import { CohortAnnouncements1764400000213 } from './1764400000213-cohort-announcements';
import { ReviewCohort1764400000317 } from './1764400000317-review-cohort';
import { LikeCommentCohort1764400000417 } from './1764400000417-like-comment-cohort';
import { MallRowsWithoutProductKeys1764400000517 } from './1764400000517-mall-rows-without-product-keys';

/** Every migration, oldest first. Each uses TypeORM's dialect-neutral Table API (SQLite and MySQL). */
export const migrations = [Identity1763870000000, CohortsCheckinsPoints1763960000000, Mall1764050000000, ReviewsNotifyJobs1764100000000, Conversion1764150000000, ReadIndexes1764200000000, ReviewLatency1764250000000, ConsoleLogin1764312100000, StaffDesk1764312200000, Uploads1764316000016, LikesCommentsStandings1764320000011, InvitationsGroupEntry1764340000014, Privacy1764360000015, ProductOrder1764400000013, StandingDoneDays1764400000017, CostEntries1764400000113, CohortAnnouncements1764400000213, ReviewCohort1764400000317, LikeCommentCohort1764400000417, MallRowsWithoutProductKeys1764400000517];
