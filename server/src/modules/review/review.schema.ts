import { z } from 'zod';
import '../../platform/http/openapi';

/** Kept apart from review.dto so the check-in DTO can embed it without an import cycle. */
export const reviewDtoSchema = z
  .object({
    id: z.number().int(),
    checkinId: z.number().int(),
    teacher: z.object({ id: z.number().int(), nickname: z.string() }),
    text: z.string(),
    audioUrl: z.string().nullable(),
    audioSeconds: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Review');
export type ReviewDto = z.infer<typeof reviewDtoSchema>;
