// Small helpers shared by the page modules (no DOM work at import time).

/** Slack ts strings ("1700000000.000100") compared exactly: as doubles they lose the last digits. */
export function compareTs(a, b) {
  const [ai = '0', af = ''] = String(a ?? '0').split('.');
  const [bi = '0', bf = ''] = String(b ?? '0').split('.');
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const fa = af.padEnd(6, '0');
  const fb = bf.padEnd(6, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

export const tsDate = (ts) => new Date(Number(String(ts).split('.')[0]) * 1000);

/** The newest ts in a conversation, thread replies included (a reminder in a thread is news too). */
export function latestTs(messages) {
  let latest = '0';
  for (const m of messages ?? []) {
    if (compareTs(m.ts, latest) > 0) latest = m.ts;
    for (const r of m.replies ?? []) if (compareTs(r.ts, latest) > 0) latest = r.ts;
  }
  return latest;
}

const pad = (n) => String(n).padStart(2, '0');
export const timeOf = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

export function dayLabel(date) {
  return date.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

/** "1 d 1 h", "15 min": how far the bot's clock runs ahead. */
export function formatOffset(ms) {
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`].filter(Boolean);
  return parts.length ? parts.join(' ') : `${Math.round(ms / 1000)} s`;
}

const PALETTE = ['#e01e5a', '#2eb67d', '#ecb22e', '#36c5f0', '#9b59b6', '#e8912d', '#1264a3', '#4a154b'];

export function avatarColor(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

export function storageGet(key, fallback) {
  try {
    const raw = localStorage.getItem(`mql-sandbox.${key}`);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback; // storage disabled (private mode, file://): the page works without memory
  }
}

export function storageSet(key, value) {
  try {
    localStorage.setItem(`mql-sandbox.${key}`, JSON.stringify(value));
  } catch {
    // see storageGet
  }
}
