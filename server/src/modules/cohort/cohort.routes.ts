import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { groupProofSchema } from '../checkin/checkin.dto';
import { cohortContentSchema, cohortDtoSchema, cohortUpdateSchema, enrollmentDtoSchema } from './cohort.dto';
import type { CohortService } from './cohort.service';


const cohortParams = z.object({ id: idParam });

export function registerCohortRoutes(api: ApiRouter, cohorts: CohortService): void {
  api.add({
    method: 'post', path: '/cohorts', tag: 'cohorts', access: ['operator'], status: 201,
    summary: 'Launch a cohort: title, theme, 7/14/21 days, start date, teachers, prompts, rules',
    body: cohortContentSchema, response: cohortDtoSchema,
    handler: ({ principal, body }) => cohorts.create(principal.memberId, body),
  });
  api.add({
    method: 'get', path: '/cohorts', tag: 'cohorts', access: 'member',
    summary: 'Cohorts, newest first, with status and today\'s day', response: z.object({ items: z.array(cohortDtoSchema) }),
    handler: async ({ principal }) => ({ items: await cohorts.list(principal.memberId) }),
  });
  api.add({
    method: 'get', path: '/cohorts/:id', tag: 'cohorts', access: 'member', params: cohortParams,
    summary: 'One cohort with its day-by-day prompts', response: cohortDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => cohorts.view(principal, params.id),
  });
  api.add({
    method: 'put', path: '/cohorts/:id', tag: 'cohorts', access: ['operator'], params: cohortParams,
    summary: 'Edit a cohort (only the fields sent change; PUT because wx.request has no PATCH): everything while recruiting; while running the announcement, welcome, rules, prompts of days not yet reached, teachers, reminder time and cover; after the last day the texts',
    body: cohortUpdateSchema, response: cohortDtoSchema,
    errors: { 404: 'NOT_FOUND', 409: 'COHORT_ALREADY_STARTED or PROMPT_LOCKED' },
    handler: ({ principal, params, body }) => cohorts.update(principal.memberId, params.id, body),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/clone', tag: 'cohorts', access: ['operator'], params: cohortParams, status: 201,
    summary: 'Start the next cohort as a copy of this one (content, teachers, point rules)',
    body: z.strictObject({ startDate: z.iso.date({ message: 'must be a date YYYY-MM-DD' }), title: z.string().trim().min(1).max(64).optional() }),
    response: cohortDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params, body }) => cohorts.clone(principal.memberId, params.id, body),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/enrollments', tag: 'cohorts', access: 'member', params: cohortParams,
    summary: 'Join the cohort (idempotent)', body: z.strictObject({}), response: enrollmentDtoSchema,
    errors: { 403: 'REMOVED_FROM_COHORT', 404: 'NOT_FOUND', 409: 'COHORT_CLOSED' },
    handler: ({ principal, params }) => cohorts.enroll(principal.memberId, params.id),
  });
  api.add({
    method: 'delete', path: '/cohorts/:id/enrollments/me', tag: 'cohorts', access: 'member', params: cohortParams,
    summary: 'Leave the cohort (counted as a quit)', response: enrollmentDtoSchema,
    errors: { 403: 'NOT_ENROLLED', 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => cohorts.leave(principal.memberId, params.id),
  });
  api.add({
    method: 'post', path: '/cohorts/:id/group', tag: 'cohorts', access: 'member', params: cohortParams,
    summary: 'Bind the cohort\'s WeChat group from a group proof (operators and the cohort\'s teachers)',
    body: groupProofSchema, response: cohortDtoSchema,
    errors: { 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'GROUP_ALREADY_BOUND or COHORT_DISBANDED' },
    handler: ({ principal, params, body }) => cohorts.bindGroup(principal, params.id, body),
  });
  api.add({
    method: 'put', path: '/cohorts/:id/group-qr', tag: 'cohorts', access: ['operator'], params: cohortParams,
    summary: "Attach or replace the cohort's WeChat group QR (an image the operator uploaded through POST /uploads/images); members long-press it to join",
    body: z.strictObject({ imageUrl: z.string().max(512) }), response: cohortDtoSchema,
    errors: { 404: 'NOT_FOUND', 409: 'COHORT_DISBANDED' },
    handler: ({ principal, params, body }) => cohorts.setGroupQr(principal.memberId, params.id, body.imageUrl),
  });
  api.add({
    method: 'delete', path: '/cohorts/:id/group-qr', tag: 'cohorts', access: ['operator'], params: cohortParams,
    summary: "Take the cohort's group QR away", response: cohortDtoSchema, errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => cohorts.removeGroupQr(principal.memberId, params.id),
  });
}
