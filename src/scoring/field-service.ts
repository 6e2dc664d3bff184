import type { DbOrTx } from '../../db/client.js';
import { anyLeadStored, attributeKeyStored, storedAttributeKeys } from '../../db/queries/lead-fields.js';
import { storedEventTypes } from '../../db/queries/leads-backtest.js';
import { isStoredField, unknownFieldText } from './field-names.js';
import { fieldSource } from './score.js';

export const NO_LEADS_STORED = 'no leads are stored yet, so no field can be checked';

/**
 * Why fields a rule or route tests are unknown, one sentence each with the closest names there are ("no lead has
 * `Lead Sorce`; did you mean `Lead Source`?"), or none when a stored lead has each. Core fields always exist.
 */
export async function unknownFields(db: DbOrTx, fields: readonly string[]): Promise<string[]> {
  const unknown: string[] = [];
  let stored: { attributeKeys: string[]; eventTypes: string[] } | null = null;
  for (const field of new Set(fields)) {
    const source = fieldSource(field);
    if (source.kind === 'core') continue;
    if (source.kind === 'attribute' && (await attributeKeyStored(db, source.name))) continue;
    stored ??= { attributeKeys: await storedAttributeKeys(db), eventTypes: await storedEventTypes(db) };
    if (!isStoredField(field, stored)) unknown.push(field);
  }
  if (unknown.length === 0) return [];
  if (!(await anyLeadStored(db))) return [NO_LEADS_STORED];
  return unknown.map((field) => unknownFieldText(field, stored!));
}
