// The top bar: who you are, the bot's clock, demo data and clock controls.
import { useEffect, useState } from 'preact/hooks';
import { html } from './blocks.js';
import { formatClock } from './dates.js';
import { formatOffset } from './util.js';

/** The bot's clock keeps running between state fetches: its `now` plus the time since we read it. */
function BotClock({ clock, fetchedAt }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(timer);
  }, []);
  const base = Date.parse(clock?.now ?? '');
  if (Number.isNaN(base)) return html`<span class="clock" data-testid="clock">Bot clock: —</span>`;
  const now = new Date(base + (Date.now() - fetchedAt));
  const ahead = clock.offsetMs > 0 ? formatOffset(clock.offsetMs) : '';
  return html`<span class="clock" data-testid="clock" title=${now.toString()}>
    Bot clock: <b>${formatClock(now)}</b>${ahead ? html` <span class="ahead">+${ahead} ahead</span>` : null}
  </span>`;
}

export function TopBar({ users, user, onUser, clock, fetchedAt, busy, onDemo, onAdvance, connected }) {
  return html`<header class="topbar">
    <label class="switcher">
      <span>Viewing as</span>
      <select data-testid="user-switcher" value=${user} onChange=${(e) => onUser(e.currentTarget.value)}>
        ${users.map((u) => html`<option key=${u.id} value=${u.id}>${u.name} — ${u.role}</option>`)}
      </select>
    </label>
    <${BotClock} clock=${clock} fetchedAt=${fetchedAt} />
    ${connected ? null : html`<span class="offline" title="Live updates are reconnecting">reconnecting…</span>`}
    <div class="topbar-actions">
      <button type="button" class="top-btn" data-testid="load-demo" disabled=${busy} onClick=${onDemo}>Load demo leads</button>
      <button type="button" class="top-btn" data-testid="advance-15" disabled=${busy} onClick=${() => onAdvance(15)}>+15 min</button>
      <button type="button" class="top-btn" data-testid="advance-60" disabled=${busy} onClick=${() => onAdvance(60)}>+1 h</button>
      <button type="button" class="top-btn" data-testid="advance-1440" disabled=${busy} onClick=${() => onAdvance(1440)}>+1 day</button>
    </div>
  </header>`;
}
