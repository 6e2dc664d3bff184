import { CORE_FIELDS, type Attributes, type StoredLeadFields } from '../../db/types.js';
import type { LeadInput } from './input.js';

export { CORE_FIELDS, type StoredLeadFields };

/** A lead's identity: its source and its id there. */
export const leadKey = (l: { source: string; externalId: string }) => `${l.source}\u0000${l.externalId}`;

/** Fields a lead has after an upsert: given core fields replace stored ones, attributes merge key by key. */
export function mergeLeadFields(stored: StoredLeadFields | undefined, input: LeadInput): StoredLeadFields {
  const merged: StoredLeadFields = {
    email: stored?.email ?? null,
    name: stored?.name ?? null,
    company: stored?.company ?? null,
    title: stored?.title ?? null,
    country: stored?.country ?? null,
    attributes: { ...(stored?.attributes ?? {}), ...(input.attributes ?? {}) },
  };
  for (const field of CORE_FIELDS) {
    const value = input[field];
    if (value !== undefined) merged[field] = value === '' ? null : value;
  }
  return merged;
}

export function sameLeadFields(a: StoredLeadFields, b: StoredLeadFields): boolean {
  return CORE_FIELDS.every((f) => a[f] === b[f]) && sameAttributes(a.attributes, b.attributes);
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** The same lead twice in one batch counts as one upsert, in order: later values win, events add up. */
export function combineDuplicates(inputs: LeadInput[]): LeadInput[] {
  const byKey = new Map<string, LeadInput>();
  for (const input of inputs) {
    const key = leadKey(input);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, input);
      continue;
    }
    const combined: LeadInput = { ...seen, attributes: { ...seen.attributes, ...input.attributes } };
    for (const field of CORE_FIELDS) if (input[field] !== undefined) combined[field] = input[field];
    combined.events = [...(seen.events ?? []), ...(input.events ?? [])];
    byKey.set(key, combined);
  }
  return [...byKey.values()];
}
