import { describe, expect, it } from 'vitest';
import { checkSlackBody } from '../../src/slack/payload-shape.js';

const asForm = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const FORM = 'application/x-www-form-urlencoded';
const user = { id: 'U1' };

describe('the shape a Slack request must have', () => {
  it('accepts what Slack sends us', () => {
    // Each with its kind, as the ack-latency metric labels it.
    expect(checkSlackBody(asForm({ type: 'block_actions', user, actions: [{ action_id: 'a', value: '1' }] }), FORM)).toEqual({
      ok: true,
      kind: 'action',
    });
    expect(
      checkSlackBody(asForm({ type: 'view_submission', user, view: { callback_id: 'c', blocks: [], state: { values: {} } } }), FORM),
    ).toEqual({ ok: true, kind: 'submission' });
    expect(checkSlackBody(new URLSearchParams({ command: '/mql', text: '', user_id: 'U1', channel_id: 'C1' }).toString(), FORM)).toEqual({
      ok: true,
      kind: 'command',
    });
    expect(
      checkSlackBody(JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } }), 'application/json'),
    ).toEqual({ ok: true, kind: 'event' });
    expect(checkSlackBody('ssl_check=1&token=x', FORM)).toEqual({ ok: true, kind: 'other' });
  });

  it('accepts Events API bodies: the URL check, events we listen to, and events we only need the type of', () => {
    const json = (body: unknown) => checkSlackBody(JSON.stringify(body), 'application/json; charset=utf-8');
    expect(json({ token: 't', challenge: 'c123', type: 'url_verification' })).toMatchObject({ ok: true });
    expect(
      json({ type: 'event_callback', team_id: 'T1', event: { type: 'app_home_opened', user: 'U1', tab: 'home', view: {} } }),
    ).toMatchObject({ ok: true });
    expect(json({ type: 'event_callback', event: { type: 'app_mention', text: 'hi' } })).toMatchObject({ ok: true });
    // A click in the Home tab: container "view", the view itself, and no response_url.
    expect(
      checkSlackBody(
        asForm({
          type: 'block_actions',
          user,
          container: { type: 'view', view_id: 'V1' },
          view: { type: 'home', blocks: [] },
          actions: [{ action_id: 'a' }],
        }),
        FORM,
      ),
    ).toMatchObject({ ok: true });
  });

  it('names the field an event we read is missing', () => {
    const json = (body: unknown) => checkSlackBody(JSON.stringify(body), 'application/json');
    expect(json({ type: 'event_callback', event: { type: 'app_home_opened', tab: 'home' } })).toEqual({
      ok: false,
      problem: 'event.user: Invalid input: expected string, received undefined',
    });
    expect(json({ type: 'event_callback', event: { user: 'U1' } })).toEqual({
      ok: false,
      problem: 'event.type: Invalid input: expected string, received undefined',
    });
    expect(json({ type: 'url_verification' })).toEqual({
      ok: false,
      problem: 'challenge: Invalid input: expected string, received undefined',
    });
  });

  it('names what is wrong with anything else', () => {
    expect(checkSlackBody(asForm({ type: 'block_actions', user, actions: [{}] }), FORM)).toEqual({
      ok: false,
      problem: 'actions.0.action_id: Invalid input: expected string, received undefined',
    });
    expect(checkSlackBody(asForm({ type: '__proto__' }), FORM)).toMatchObject({
      ok: false,
      problem: 'payloads of type "__proto__" are not handled',
    });
    expect(checkSlackBody(asForm({ type: 'toString' }), FORM)).toMatchObject({ ok: false });
    expect(checkSlackBody('payload=null', FORM)).toEqual({ ok: false, problem: 'the payload is not an object' });
  });
});
