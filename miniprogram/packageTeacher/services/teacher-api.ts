import { api, withQuery } from '../../services/api';
import type { Checkin, Review, ReviewBody, ReviewQueue, ReviewTemplate } from '../../services/api-types';

export interface QueueQuery {
  cohortId?: number | null;
  day?: number | null;
  limit?: number;
  after?: string | null;
}

/** The teacher's part of the API; lives in the subpackage so members never download it. */
export const teacherApi = {
  reviewQueue: (query: QueueQuery) => api.get<ReviewQueue>(withQuery('/teacher/review-queue', { ...query })),
  checkin: (checkinId: number) => api.get<Checkin>(`/checkins/${checkinId}`),
  /** Only the fields sent change. */
  editReview: (reviewId: number, body: Partial<ReviewBody>) => api.put<Review>(`/reviews/${reviewId}`, body),
  review: (checkinId: number, body: ReviewBody) => api.post<Review>(`/checkins/${checkinId}/reviews`, body),
  feature: (checkinId: number, featured: boolean) =>
    api.post<{ checkinId: number; featured: boolean }>(`/checkins/${checkinId}/feature`, { featured }),
  templates: () => api.get<{ items: ReviewTemplate[] }>('/teacher/templates'),
  addTemplate: (text: string) => api.post<ReviewTemplate>('/teacher/templates', { text }),
  deleteTemplate: (id: number) => api.delete<{ deleted: true }>(`/teacher/templates/${id}`),
};
