import { checkSlackPayload, type RequestKind } from './payload-shape.js';

/*
 * What a Socket Mode message from Slack must look like before the Socket Mode client reads it. The client
 * trusts it: an `events_api` envelope without a payload, or JSON `null`, throws inside it (an unhandled
 * rejection), and any `type` is emitted as an event on the client itself, so `{"type":"close"}` or
 * `{"type":"ws_message"}` would drive its own connection handling. The payload a command, click or event
 * envelope carries is held to the same shape as over HTTP (payload-shape.ts). Pure: no I/O.
 */

type Payload = Record<string, unknown>;

/** The envelope types Slack sends: the client handles hello and disconnect, and hands the rest to Bolt with their payload's kind. */
const CARRIES: Record<string, ((payload: Payload) => boolean) | null> = {
  hello: null,
  disconnect: null,
  events_api: (payload) => payload.type === 'event_callback',
  slash_commands: (payload) => payload.type === undefined,
  interactive: (payload) => typeof payload.type === 'string' && !['event_callback', 'url_verification'].includes(payload.type),
};

/** Passed; a command, click or event also says which envelope Slack waits for an ack of, and its kind. */
export type EnvelopeCheck =
  | { ok: true; awaitsAck?: { envelopeId: string; kind: RequestKind } }
  | { ok: false; problem: string; type?: string; envelopeId?: string };

const isObject = (value: unknown): value is Payload => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks one text message from Slack's WebSocket. */
export function checkEnvelope(text: string): EnvelopeCheck {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the message is not JSON' };
  }
  if (!isObject(envelope)) return { ok: false, problem: 'the envelope is not an object' };
  const { type, envelope_id: id, payload } = envelope;
  if (typeof type !== 'string') return { ok: false, problem: 'the envelope has no type' };
  if (!Object.hasOwn(CARRIES, type)) return { ok: false, problem: `envelopes of type "${type.slice(0, 50)}" are not handled` };
  const carries = CARRIES[type];
  if (!carries) return { ok: true };
  const envelopeId = typeof id === 'string' ? id.slice(0, 100) : undefined;
  const refused = (problem: string): EnvelopeCheck => ({ ok: false, problem, type, envelopeId });
  if (!envelopeId) return refused('the envelope has no envelope_id to ack');
  if (!isObject(payload)) return refused('the payload is not an object');
  if (!carries(payload)) return refused(`a ${type} envelope does not carry this kind of payload`);
  const shape = checkSlackPayload(payload);
  return shape.ok ? { ok: true, awaitsAck: { envelopeId, kind: shape.kind } } : refused(shape.problem);
}
