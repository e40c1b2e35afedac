import { z } from 'zod';
import '../../platform/http/openapi';

export const likeStateSchema = z
  .object({ liked: z.boolean(), likeCount: z.number().int() })
  .openapi('LikeState');
export type LikeState = z.infer<typeof likeStateSchema>;

export const commentBodySchema = z.strictObject({
  text: z.string().trim().min(1, 'write a comment').max(500, 'at most 500 characters'),
});

export const commentDtoSchema = z
  .object({
    id: z.number().int(),
    checkinId: z.number().int(),
    text: z.string(),
    author: z.object({ id: z.number().int(), nickname: z.string(), avatarUrl: z.string().nullable() }),
    byTeacher: z.boolean().openapi({ description: 'Written by a teacher of the cohort' }),
    heldForReview: z.boolean().openapi({ description: 'Held by the content check: only its author and staff see it' }),
    canDelete: z.boolean().openapi({ description: 'The caller may delete it (its author, or staff)' }),
    createdAt: z.string(),
  })
  .openapi('Comment');
export type CommentDto = z.infer<typeof commentDtoSchema>;

export const commentPageSchema = z
  .object({ items: z.array(commentDtoSchema), nextCursor: z.string().nullable() })
  .openapi('CommentPage');
