import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../manifest.json'), 'utf8'));

describe('manifest.json for routing', () => {
  it('asks for what routing reads: user groups (teams) and Do Not Disturb (ROUTING_RESPECT_DND)', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['usergroups:read', 'dnd:read']));
  });
});
