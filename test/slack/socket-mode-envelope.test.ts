import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clickPayload, commandFields } from '../../harness/app.js';
import { checkEnvelope } from '../../src/slack/socket-envelope.js';

const envelope = (type: string, payload: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ envelope_id: 'e1', type, payload, ...extra });

const homeOpened = { type: 'event_callback', team_id: 'T1', event: { type: 'app_home_opened', user: 'UREP1', tab: 'home' } };

describe('checkEnvelope', () => {
  it('lets through what Slack sends: hello, disconnect, and command, click and event envelopes', () => {
    expect(checkEnvelope(JSON.stringify({ type: 'hello', num_connections: 1 }))).toEqual({ ok: true });
    expect(checkEnvelope(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }))).toEqual({ ok: true });
    // Those Slack waits an ack for say which, and their kind (for the ack-latency metric).
    expect(checkEnvelope(envelope('slash_commands', commandFields('help')))).toEqual({
      ok: true,
      awaitsAck: { envelopeId: 'e1', kind: 'command' },
    });
    expect(checkEnvelope(envelope('interactive', clickPayload('mql_claim', '7', 'UREP1')))).toEqual({
      ok: true,
      awaitsAck: { envelopeId: 'e1', kind: 'action' },
    });
    expect(checkEnvelope(envelope('events_api', homeOpened, { retry_attempt: 0 }))).toEqual({
      ok: true,
      awaitsAck: { envelopeId: 'e1', kind: 'event' },
    });
  });

  it('refuses a payload of another kind than its envelope says, naming the envelope', () => {
    expect(checkEnvelope(envelope('events_api', clickPayload('mql_claim', '7', 'UREP1')))).toEqual({
      ok: false,
      type: 'events_api',
      envelopeId: 'e1',
      problem: 'a events_api envelope does not carry this kind of payload',
    });
    expect(checkEnvelope(envelope('slash_commands', homeOpened))).toMatchObject({ ok: false, type: 'slash_commands' });
    expect(checkEnvelope(envelope('interactive', { type: 'url_verification', challenge: 'x' }))).toMatchObject({ ok: false });
  });

  it('refuses an envelope it could not ack, or whose payload our listeners could not read', () => {
    expect(checkEnvelope(JSON.stringify({ type: 'interactive', payload: clickPayload('mql_claim', '7', 'UREP1') }))).toMatchObject({
      ok: false,
      problem: 'the envelope has no envelope_id to ack',
    });
    expect(checkEnvelope(envelope('events_api', { ...homeOpened, event: { type: 'app_home_opened' } }))).toMatchObject({
      ok: false,
      problem: expect.stringContaining('event.user'),
    });
    expect(checkEnvelope(envelope('interactive', [clickPayload('mql_claim', '7', 'UREP1')]))).toMatchObject({
      problem: 'the payload is not an object',
    });
    expect(checkEnvelope(JSON.stringify({ envelope_id: 'x'.repeat(5000), type: 'interactive' }))).toMatchObject({
      envelopeId: 'x'.repeat(100),
    });
  });

  it('never throws, and lets through only the envelope types Slack sends', () => {
    const anyEnvelope = fc.record(
      {
        type: fc.oneof(fc.constantFrom('hello', 'disconnect', 'events_api', 'slash_commands', 'interactive', 'close'), fc.string()),
        envelope_id: fc.oneof(fc.string(), fc.jsonValue()),
        payload: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(homeOpened)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          anyEnvelope.map((e) => JSON.stringify(e)),
        ),
        (text) => {
          const verdict = checkEnvelope(text);
          if (verdict.ok) expect(['hello', 'disconnect', 'events_api', 'slash_commands', 'interactive']).toContain(JSON.parse(text).type);
        },
      ),
    );
  });
});
