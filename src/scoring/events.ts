import type { ScorableEvent } from './types.js';

/** Scoring reads events only by type; a per-type count stands for that many events. */
export function eventsFromCounts(counts: Map<string, number> | undefined): ScorableEvent[] {
  return [...(counts ?? new Map<string, number>())].flatMap(([type, k]) => Array.from({ length: k }, () => ({ type })));
}
