// The left sidebar: workspace name, the bot's Home tab, channels, the current user's DM with the bot, unread dots.
import { html } from './blocks.js';

function Item({ conv, active, unread, onSelect }) {
  const click = (e) => {
    e.preventDefault();
    onSelect(conv.id);
  };
  const cls = `side-item${active ? ' active' : ''}${unread ? ' unread' : ''}`;
  return html`<li>
    <a href="#" class=${cls} data-testid=${`conv-${conv.id}`} aria-current=${active ? 'page' : undefined} onClick=${click}>
      <span class="side-icon">${conv.kind === 'channel' ? '#' : conv.kind === 'home' ? '⌂' : '●'}</span>
      <span class="side-label">${conv.label}</span>
      ${unread ? html`<span class="unread-dot" aria-label="new messages"></span>` : null}
    </a>
  </li>`;
}

export function Sidebar({ conversations, current, unread, onSelect, userLabel }) {
  const channels = conversations.filter((c) => c.kind === 'channel');
  const dms = conversations.filter((c) => c.kind === 'dm');
  const apps = conversations.filter((c) => c.kind === 'home');
  const item = (c) => html`<${Item} key=${c.id} conv=${c} active=${c.id === current} unread=${unread.has(c.id)} onSelect=${onSelect} />`;
  return html`<nav class="sidebar">
    <div class="workspace">
      <div class="workspace-name">MQL sandbox</div>
      <div class="workspace-user"><span class="presence"></span>${userLabel}</div>
    </div>
    <div class="side-section">Apps</div>
    <ul>${apps.map(item)}</ul>
    <div class="side-section">Channels</div>
    <ul>${channels.map(item)}</ul>
    <div class="side-section">Direct messages</div>
    <ul>${dms.map(item)}</ul>
  </nav>`;
}
