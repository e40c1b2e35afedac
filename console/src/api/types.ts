/** The API's shapes the console uses, from the types generated off the OpenAPI document. */
import type { JsonAnswer, paths, Schema } from '../../../server/client-types/api';

export type { paths };
/** The JSON a path answers a method with. */
export type Json<P extends keyof paths, M extends keyof paths[P]> = JsonAnswer<P, M>;

export type Member = Schema<'Member'>;
export type Cohort = Schema<'Cohort'>;
export type CohortOverview = Schema<'CohortOverview'>;
export type CohortMember = Schema<'CohortMember'>;
export type Tag = Schema<'Tag'>;
export type FollowUps = Schema<'FollowUps'>;
export type FollowUpState = FollowUps['state'];
export type Checkin = Schema<'Checkin'>;
export type ReviewQueue = Schema<'ReviewQueue'>;
export type QueueItem = ReviewQueue['items'][number];
export type ReviewTemplate = Schema<'ReviewTemplate'>;
export type PointsRules = Schema<'PointsRules'>;
export type ConsoleLogin = Schema<'ConsoleLogin'>;
export type HeldCheckin = Json<'/api/v1/moderation/held', 'get'>['items'][number];
export type AuditItem = Json<'/api/v1/admin/audit', 'get'>['items'][number];
export type Person = Json<'/api/v1/admin/members/{id}', 'get'>;
export type ConsoleSessionItem = Json<'/api/v1/console/sessions', 'get'>['items'][number];
export type Segment = NonNullable<NonNullable<paths['/api/v1/cohorts/{id}/members']['get']['parameters']['query']>['segment']>;
export type SegmentCounts = Json<'/api/v1/cohorts/{id}/members/segments', 'get'>;
export type Product = Schema<'MallProduct'>;
export type StockAdjustment = Schema<'MallStockAdjustment'>;
export type Redemption = Schema<'MallRedemption'>;
export type ShippingImportResult = Schema<'ShippingImportResult'>;
export type UploadedImage = Schema<'UploadedImage'>;
export type CohortMetrics = Schema<'CohortMetrics'>;
export type OverviewItem = Json<'/api/v1/metrics/overview', 'get'>['items'][number];
export type CostEntry = Schema<'CostEntry'>;
export type Announcement = Schema<'Announcement'>;
