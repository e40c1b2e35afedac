import { z } from 'zod';
import './openapi';

/** `?limit=&before=`: newest-first pages; `before` is the `nextCursor` of the previous page. */
export const pageQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(50))
    .optional()
    .transform((value) => value ?? 20)
    .openapi({ type: 'integer', description: '1..50, default 20' }),
  before: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'must be a cursor from nextCursor')
    .transform(Number)
    .optional()
    .openapi({ type: 'string', description: 'nextCursor of the previous page' }),
});
