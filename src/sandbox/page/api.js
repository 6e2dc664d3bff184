// The sandbox server's JSON endpoints (see the page ⇄ server contract). Errors come back as thrown Errors
// whose message is the server's human sentence.

export async function getState() {
  const res = await fetch('/sandbox/state', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not load the sandbox state (HTTP ${res.status}).`);
  return res.json();
}

export async function post(action, body) {
  const res = await fetch(`/sandbox/do/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  let json = null;
  try {
    json = await res.json();
  } catch {
    // A proxy error page or an empty body: reported below by status.
  }
  if (!res.ok || !json || json.ok === false) throw new Error(json?.error ?? `The sandbox answered HTTP ${res.status}.`);
  return json;
}

/**
 * Calls `onChange(version)` on each `change` event. EventSource reconnects by itself after errors;
 * `onStatus(connected)` lets the page say when it is offline.
 */
export function subscribe(onChange, onStatus) {
  const source = new EventSource('/sandbox/stream');
  source.addEventListener('change', (e) => {
    let version = null;
    try {
      version = JSON.parse(e.data).version ?? null;
    } catch {
      // A change without a readable version still means "refetch".
    }
    onChange(version);
  });
  source.addEventListener('open', () => onStatus?.(true));
  source.addEventListener('error', () => onStatus?.(false));
  return () => source.close();
}
