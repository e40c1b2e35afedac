/** The API's shapes the console uses, from the types generated off the OpenAPI document. */
import type { components, paths } from '../../../server/client-types/api';

export type { paths };
type Schemas = components['schemas'];
type Ok<O> = O extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;
/** The JSON a path answers a method with. */
export type Json<P extends keyof paths, M extends keyof paths[P]> = Ok<paths[P][M]>;

export type Member = Schemas['Member'];
export type Cohort = Schemas['Cohort'];
export type CohortOverview = Schemas['CohortOverview'];
export type CohortMember = Schemas['CohortMember'];
export type Tag = Schemas['Tag'];
export type FollowUps = Schemas['FollowUps'];
export type FollowUpState = FollowUps['state'];
export type Checkin = Schemas['Checkin'];
export type ReviewQueue = Schemas['ReviewQueue'];
export type QueueItem = ReviewQueue['items'][number];
export type ReviewTemplate = Schemas['ReviewTemplate'];
export type PointsRules = Schemas['PointsRules'];
export type ConsoleLogin = Schemas['ConsoleLogin'];
export type HeldCheckin = Json<'/api/v1/moderation/held', 'get'>['items'][number];
export type AuditItem = Json<'/api/v1/admin/audit', 'get'>['items'][number];
export type Person = Json<'/api/v1/admin/members/{id}', 'get'>;
export type ConsoleSessionItem = Json<'/api/v1/console/sessions', 'get'>['items'][number];
export type Segment = NonNullable<NonNullable<paths['/api/v1/cohorts/{id}/members']['get']['parameters']['query']>['segment']>;
export type SegmentCounts = Json<'/api/v1/cohorts/{id}/members/segments', 'get'>;
