import { z } from 'zod';
import '../../platform/http/openapi';
import { checkinDtoSchema } from '../checkin/checkin.dto';

export { reviewDtoSchema, type ReviewDto } from './review.schema';

const reviewFields = {
  text: z.string().trim().max(1000).openapi({ description: 'May be empty when the review is a voice note' }),
  audioUrl: z.string().max(512).nullable().optional().openapi({ description: 'From POST /uploads/audio (at most 60 s)' }),
  audioSeconds: z.number().int().min(1).max(60).nullable().optional(),
};

/** A review says something: in words, in a voice note, or both. */
export const reviewBodySchema = z
  .strictObject({ ...reviewFields, text: reviewFields.text.default('') })
  .refine((body) => body.text.length > 0 || Boolean(body.audioUrl), { path: ['text'], message: 'write a comment or record a voice note' });

/** An edit changes only the fields sent; the service checks the review still says something. */
export const reviewEditSchema = z.strictObject(reviewFields).partial();

export const reviewQueueSchema = z
  .object({
    items: z.array(checkinDtoSchema.extend({ cohortTitle: z.string() })),
    nextCursor: z.string().nullable(),
    counts: z.object({ pendingToday: z.number().int(), pendingTotal: z.number().int(), doneToday: z.number().int() }),
  })
  .openapi('ReviewQueue');
