import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeCommand } from '../../commands/parse.js';
import { parseChanges } from '../../src/scoring/change-syntax.js';
import { ACTIONS, VIEWS } from '../../src/handoff/types.js';
import { CONFIRM_ACTIONS } from '../../commands/criteria-change.js';
import { FAKE_RESPONSE_URL, SALES_CHANNEL } from '../../harness/app.js';
import { useTestApp } from '../helpers/use-test-app.js';

/*
 * Hostile input from Slack's side: signed payloads of any shape and /mql text of any content. Whatever
 * arrives, the answer is never a 5xx, the process keeps serving, and no command "fails unexpectedly".
 * Generated payloads always name our own fake response_url, so a reply never goes anywhere else.
 */

const app = useTestApp();
const USERS = ['UREP1', 'UMANAGER', 'UMARKETER'];
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    'x\udfff',
    '__proto__',
    'constructor',
    '&lt;',
    '&amp;',
    '&gt;= 5',
    '<@U1|x>',
    '"',
    '“',
    "'",
    ';',
    'in',
  ),
  fc.string({ maxLength: 5000 }),
);
const json = fc.jsonValue({ maxDepth: 3 });
const user = fc.oneof(fc.record({ id: fc.constantFrom(...USERS) }), json);
const action = fc.record(
  {
    type: fc.constant('button'),
    action_id: fc.constantFrom(...Object.values(ACTIONS), ...Object.values(CONFIRM_ACTIONS)),
    block_id: hostileText,
    // Save carries `{ command, version }` as JSON.
    value: fc.oneof(
      hostileText,
      fc.nat().map(String),
      json,
      fc.record({ command: hostileText, version: json }).map((v) => JSON.stringify(v)),
    ),
  },
  { requiredKeys: ['action_id'] },
);
const blockActions = fc.record({
  type: fc.constant('block_actions'),
  user,
  actions: fc.oneof(fc.array(action, { minLength: 1, maxLength: 2 }), json),
  response_url: fc.constant(FAKE_RESPONSE_URL),
  trigger_id: hostileText,
  channel: fc.constant({ id: SALES_CHANNEL }),
});
const view = fc.record(
  {
    callback_id: fc.constantFrom(...Object.values(VIEWS)),
    private_metadata: fc.oneof(hostileText, fc.nat().map(String)),
    blocks: fc.array(fc.dictionary(fc.string({ maxLength: 8 }), json), { maxLength: 2 }),
    state: fc.record({
      values: fc.dictionary(
        fc.constantFrom('reason', 'note', 'assignee', '__proto__'),
        fc.dictionary(fc.constantFrom('reason', 'note', 'assignee'), json),
      ),
    }),
  },
  { requiredKeys: ['callback_id', 'blocks'] },
);
const viewSubmission = fc.record({ type: fc.constant('view_submission'), user, view: fc.oneof(view, json), trigger_id: hostileText });
const payload = fc.oneof(json, blockActions, viewSubmission, fc.constantFrom(null, [], 1, 's'));

const asForm = (body: string) => new URLSearchParams({ payload: body }).toString();

describe('signed Slack payloads of any shape', () => {
  it('never answer 5xx, and the app keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (value) => {
        const res = await app.t.slack(asForm(JSON.stringify(value)), 'application/x-www-form-urlencoded');
        expect([200, 400, 401, 404]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    expect((await app.t.slack(asForm(DEEP), 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await app.t.slack(DEEP, 'application/json')).status).toBe(400);
    expect((await app.t.api('/healthz')).status).toBe(200);
  });
});

describe('/mql text of any content', () => {
  const words = fc.constantFrom(
    'criteria',
    'test',
    'add',
    'remove',
    'threshold',
    'score',
    'stats',
    'stalled',
    'digest',
    'now',
    'help',
    'contains',
    'exists',
    'as',
    '>=',
    '=',
    '10',
    '-5',
    'events.form_submit',
  );
  const text = fc.array(fc.oneof(hostileText, words), { maxLength: 10 }).map((parts) => parts.join(' '));

  it('is parsed without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary' })), (input) => {
        const tokens = tokenizeCommand(input);
        if (tokens.ok) parseChanges(tokens.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('never answers 5xx or "failed unexpectedly", for a rep or a marketer trying changes', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (input, asMarketer) => {
        const res = await app.t.command(asMarketer ? `criteria test ${input}` : input, asMarketer ? 'UMARKETER' : 'UREP1');
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body ?? '')).not.toMatch(/failed unexpectedly/);
      }),
      { numRuns: 150 },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(app.fakeSlack.responses.map((r) => String(r.text)).filter((t) => /failed unexpectedly/.test(t))).toEqual([]);
  });

  it('refuses a NUL in the text with a reply that names it', async () => {
    const res = await app.t.command('score a\u0000b', 'UREP1');
    expect(res.body.text).toMatch(/contains a NUL character/);
  });
});
