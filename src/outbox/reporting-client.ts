import type { WebClient } from '@slack/web-api';
import type { PacedCall } from './pacing.js';

type Report = (call: PacedCall) => void;

/** Web API methods hang off plain objects (`chat`, `admin.apps`…); the client's own parts (queue, logger) are not followed. */
const isNamespace = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function methodsUnder(target: object, path: string | null, report: Report): object {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof property !== 'string') return value;
      const method = path === null ? property : `${path}.${property}`;
      if (path !== null && typeof value === 'function')
        return (...args: unknown[]) => {
          const channel = (args[0] as { channel?: unknown } | undefined)?.channel;
          report({ method, channel: typeof channel === 'string' ? channel : undefined });
          return value.apply(object, args);
        };
      return isNamespace(value) ? methodsUnder(value, method, report) : value;
    },
  });
}

/**
 * The client as a sender sees it: each Web API method it calls (`slack.chat.update(…)`) is reported as it is
 * called, so the pacer counts what was sent (e.g. the claim DMs an update of the post re-renders), not only
 * what was planned.
 */
export function reportingCalls(slack: WebClient, report: Report): WebClient {
  return methodsUnder(slack, null, report) as WebClient;
}
