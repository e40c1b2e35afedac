import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { memberDtoSchema } from '../identity/member.dto';
import type { StaffService } from './staff.service';

const statusSchema = z.enum(['recruiting', 'running', 'converting', 'disbanded']);

export function registerStaffRoutes(api: ApiRouter, staff: StaffService): void {
  api.add({
    method: 'get', path: '/staff/cohorts', tag: 'staff', access: ['teacher', 'operator'],
    summary: 'The cohorts I staff (all, for operators) with today\'s numbers',
    response: z.object({
      items: z.array(z.object({
        id: z.number().int(), title: z.string(), theme: z.string(), status: statusSchema, dayIndex: z.number().int().nullable(),
        durationDays: z.number().int(), startDate: z.string(), endDate: z.string(), groupBound: z.boolean(),
        members: z.number().int(), checkedInToday: z.number().int(), pendingReviews: z.number().int(), heldPosts: z.number().int(),
      }).openapi('CohortOverview')),
    }),
    handler: ({ principal }) => staff.cohortOverview(principal),
  });
  api.add({
    method: 'get', path: '/admin/members/:id', tag: 'staff', access: ['operator'], params: z.object({ id: idParam }),
    summary: 'One member: roles, balance, cohorts and the latest points lines',
    response: z.object({
      member: memberDtoSchema,
      balance: z.number().int(),
      cohorts: z.array(z.object({
        id: z.number().int(), title: z.string(), status: statusSchema, joinedAt: z.string(), membership: z.enum(['active', 'left', 'removed']),
      })),
      points: z.array(z.object({ id: z.number().int(), delta: z.number().int(), reason: z.string(), note: z.string().nullable(), createdAt: z.string() })),
    }),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => staff.person(params.id),
  });
}
