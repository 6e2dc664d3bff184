import { z } from 'zod';
import { decodeCursor, EARLIEST_TIME } from './cursor.js';

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

const PAGE_SIZE = `must be a whole number from 1 to ${MAX_PAGE}`;

/**
 * The query of `GET /api/handoffs`. Unknown parameters are refused: a misspelt `updatedSince` would otherwise
 * page silently from the beginning.
 */
export const handoffsQuery = z.strictObject(
  {
    updatedSince: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T10:00:00Z' })
      .transform((iso) => new Date(iso))
      .refine((at) => at.getTime() >= EARLIEST_TIME, 'must be from the year 1 on')
      .optional(),
    cursor: z
      .string()
      .transform((text, ctx) => {
        const cursor = decodeCursor(text);
        if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out: pass nextCursor exactly as received' });
        return cursor ?? z.NEVER;
      })
      .optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, PAGE_SIZE)
      .transform(Number)
      .refine((n) => n >= 1 && n <= MAX_PAGE, PAGE_SIZE)
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}; known: updatedSince, cursor, limit` : undefined,
  },
);
