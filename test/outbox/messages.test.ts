import { describe, expect, it } from 'vitest';
import type { LeasedMessage } from '../../db/queries/outbox.js';
import {
  channelMessage,
  claimedDm,
  dm,
  postMql,
  queuedMessage,
  storedRow,
  threadReply,
  updateMql,
  type OutboxMessage,
} from '../../src/outbox/messages.js';

const handoff = { id: 7, version: 3 };

// The rows as every earlier release wrote them: queued rows survive an upgrade, and replicas of both agree.
const STORED: Array<[string, OutboxMessage, ReturnType<typeof storedRow>]> = [
  ['post', postMql(7), { kind: 'post_mql', handoffId: 7, payload: {}, dedupeKey: 'post_mql:7' }],
  ['update', updateMql(handoff, 'change'), { kind: 'update_mql', handoffId: 7, payload: {}, dedupeKey: 'update_mql:change:7:v3' }],
  ['refresh', updateMql(handoff, 'refresh'), { kind: 'update_mql', handoffId: 7, payload: {}, dedupeKey: 'update_mql:refresh:7:v3' }],
  [
    'claimed DM',
    claimedDm(handoff, 'U1'),
    { kind: 'dm', handoffId: 7, payload: { user: 'U1', template: 'claimed' }, dedupeKey: 'dm_claimed:7:v3' },
  ],
  [
    'DM',
    dm(7, 'U2', 'hi', 'claim_escalation:7:1'),
    { kind: 'dm', handoffId: 7, payload: { user: 'U2', text: 'hi' }, dedupeKey: 'claim_escalation:7:1:U2' },
  ],
  [
    'thread reply',
    threadReply(7, 'hey', 'claim_reminder:7:1'),
    { kind: 'thread_reply', handoffId: 7, payload: { text: 'hey' }, dedupeKey: 'claim_reminder:7:1' },
  ],
  [
    'channel message',
    channelMessage({ channel: 'C1', text: 'digest' }, 'digest:2026-11-23'),
    { kind: 'channel_message', handoffId: null, payload: { channel: 'C1', text: 'digest' }, dedupeKey: 'digest:2026-11-23' },
  ],
];

describe('outbox messages', () => {
  it.each(STORED)('a %s is stored as it always was, and read back as the same kind', (_name, message, row) => {
    expect(storedRow(message)).toEqual(row);
    const leased: LeasedMessage = { id: 1, attempts: 1, createdAt: new Date(), wasUncertain: false, target: null, ...row };
    expect(queuedMessage(leased)).toMatchObject({ kind: message.kind, handoffId: message.handoffId, payload: message.payload });
  });
});
