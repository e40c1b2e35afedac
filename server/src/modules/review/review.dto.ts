import { z } from 'zod';
import '../../platform/http/openapi';
import { checkinDtoSchema } from '../checkin/checkin.dto';

export { reviewDtoSchema, type ReviewDto } from './review.schema';

export const reviewBodySchema = z.strictObject({
  text: z.string().trim().min(1, 'write a comment').max(1000),
  audioUrl: z.string().max(512).nullable().optional().openapi({ description: 'From POST /uploads/audio (at most 60 s)' }),
  audioSeconds: z.number().int().min(1).max(60).nullable().optional(),
});

export const reviewQueueSchema = z
  .object({
    items: z.array(checkinDtoSchema.extend({ cohortTitle: z.string() })),
    nextCursor: z.string().nullable(),
    counts: z.object({ pendingToday: z.number().int(), pendingTotal: z.number().int(), doneToday: z.number().int() }),
  })
  .openapi('ReviewQueue');
