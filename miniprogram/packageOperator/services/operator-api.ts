import { api, withQuery, type PageQuery } from '../../services/api';
import type {
  Cohort,
  CohortCreateBody,
  CohortMetrics,
  ConversionSummary,
  DisbandResult,
  GrantableRole,
  Member,
  MetricsOverviewItem,
  Offer,
  OfferCreateBody,
} from '../../services/api-types';

/** The operator's part of the API; lives in the subpackage so members never download it. */
export const operatorApi = {
  createCohort: (body: CohortCreateBody) => api.post<Cohort>('/cohorts', body),
  /** Only the fields sent change (PUT: wx.request has no PATCH); the server decides what may change once a cohort has started. */
  updateCohort: (id: number, body: Partial<CohortCreateBody>) => api.put<Cohort>(`/cohorts/${id}`, body),
  cloneCohort: (id: number, body: { startDate: string; title?: string }) => api.post<Cohort>(`/cohorts/${id}/clone`, body),
  offers: (cohortId: number) => api.get<{ items: Offer[] }>(`/cohorts/${cohortId}/offers`),
  createOffer: (cohortId: number, body: OfferCreateBody) => api.post<Offer>(`/cohorts/${cohortId}/offers`, body),
  conversion: (cohortId: number) => api.get<ConversionSummary>(`/cohorts/${cohortId}/conversion`),
  metrics: (cohortId: number) => api.get<CohortMetrics>(`/cohorts/${cohortId}/metrics`),
  overview: () => api.get<{ items: MetricsOverviewItem[] }>('/metrics/overview'),
  disband: (cohortId: number, nextCohortId: number | null) =>
    api.post<DisbandResult>(`/cohorts/${cohortId}/disband`, nextCohortId ? { nextCohortId } : {}),
  /** Members, newest first: `role` narrows to teachers or operators, `q` matches a nickname or an id. */
  members: (query: PageQuery & { role?: GrantableRole; q?: string }) =>
    api.get<{ items: Member[]; nextCursor: string | null }>(withQuery('/admin/members', { ...query })),
  /** Attaches or replaces the cohort's WeChat group QR (an image uploaded through /uploads/images first). */
  setGroupQr: (cohortId: number, imageUrl: string) => api.put<Cohort>(`/cohorts/${cohortId}/group-qr`, { imageUrl }),
  removeGroupQr: (cohortId: number) => api.delete<Cohort>(`/cohorts/${cohortId}/group-qr`),
  /** Replaces the granted roles ("member" is implicit). */
  setRoles: (memberId: number, roles: GrantableRole[]) => api.post<Member>(`/admin/members/${memberId}/roles`, { roles }),
};
