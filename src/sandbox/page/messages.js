// The main pane (messages, ephemerals, composer) and the thread pane.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { html, renderBlocks, renderText } from './blocks.js';
import { avatarColor, dayLabel, timeOf, tsDate } from './util.js';

function Avatar({ id, name, bot }) {
  const initial = (name || '?').trim().charAt(0).toUpperCase();
  return html`<div class=${`avatar${bot ? ' avatar-bot' : ''}`} style=${{ background: bot ? '#4a154b' : avatarColor(id) }} aria-hidden="true">
    ${initial}
  </div>`;
}

export function authorOf(userId, names) {
  if (userId === names.bot?.id) return { name: names.bot.name, bot: true };
  const user = names.users?.find((u) => u.id === userId);
  return { name: user?.name ?? userId, bot: false };
}

/** Blocks when the bot sent them, else the fallback text (as mrkdwn, like Slack). */
function Body({ item, ctx }) {
  return item.blocks?.length
    ? html`<div class="blocks">${renderBlocks(item.blocks, ctx)}</div>`
    : html`<div class="text">${renderText({ type: 'mrkdwn', text: item.text ?? '' }, ctx)}</div>`;
}

export function Message({ msg, ctx, onOpenThread, highlighted, inThread }) {
  const author = authorOf(msg.user, ctx.names);
  const date = tsDate(msg.ts);
  const count = msg.replies?.length ?? 0;
  const open = (e) => {
    e.preventDefault();
    onOpenThread(msg.ts);
  };
  return html`<div class=${`message${highlighted ? ' highlighted' : ''}`} data-testid="message" data-ts=${msg.ts}>
    <${Avatar} id=${msg.user} name=${author.name} bot=${author.bot} />
    <div class="message-main">
      <div class="message-meta">
        <span class="author">${author.name}</span>
        ${author.bot ? html`<span class="app-badge">APP</span>` : null}
        <span class="time" title=${date.toLocaleString()}>${timeOf(date)}</span>
      </div>
      <${Body} item=${msg} ctx=${ctx} />
      ${msg.edited ? html`<span class="edited">(edited)</span>` : null}
      ${
        count && !inThread
          ? html`<a href="#" class="thread-link" data-testid="thread-link" onClick=${open}>${count} ${count === 1 ? 'reply' : 'replies'}</a>`
          : null
      }
    </div>
  </div>`;
}

function Ephemeral({ eph, ctx, onDismiss }) {
  const date = new Date(eph.at);
  const dismiss = (e) => {
    e.preventDefault();
    onDismiss(eph.id);
  };
  return html`<div class="message ephemeral" data-testid="ephemeral">
    <${Avatar} id=${ctx.names.bot?.id} name=${ctx.names.bot?.name} bot=${true} />
    <div class="message-main">
      <div class="ephemeral-note">👁 Only visible to you</div>
      <div class="message-meta">
        <span class="author">${ctx.names.bot?.name ?? 'MQL bot'}</span><span class="app-badge">APP</span>
        <span class="time">${Number.isNaN(date.getTime()) ? '' : timeOf(date)}</span>
      </div>
      <${Body} item=${eph} ctx=${ctx} />
      <a href="#" class="dismiss" onClick=${dismiss}>Dismiss</a>
    </div>
  </div>`;
}

/**
 * Keeps a message list pinned to its newest message (like Slack) unless the reader scrolled up, and brings
 * a linked message (`highlight`) into view once. A ResizeObserver keeps the pin while fonts and emoji load.
 */
function useStickyScroll(highlight, resetKey) {
  const list = useRef(null);
  const inner = useRef(null);
  const stick = useRef(true);
  const shown = useRef(null);
  const onScroll = () => {
    const el = list.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };
  useLayoutEffect(() => {
    stick.current = true;
  }, [resetKey]);
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (!highlight) shown.current = null;
    else if (shown.current !== highlight) {
      const target = el.querySelector(`[data-ts="${CSS.escape(highlight)}"]`);
      if (target) {
        shown.current = highlight;
        target.scrollIntoView({ block: 'center' });
        return;
      }
    }
    if (stick.current) el.scrollTop = el.scrollHeight;
  });
  useEffect(() => {
    if (!inner.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stick.current && list.current) list.current.scrollTop = list.current.scrollHeight;
    });
    observer.observe(inner.current);
    return () => observer.disconnect();
  }, []);
  return { list, inner, onScroll };
}

/** Messages with day dividers, and the current user's private replies placed among them by time, as in Slack. */
function timeline(messages, ephemerals) {
  const entries = [
    ...messages.map((msg) => ({ at: Number(msg.ts) * 1000, msg })),
    ...ephemerals.map((eph) => ({ at: Date.parse(eph.at), eph })),
  ].sort((a, b) => a.at - b.at);
  const out = [];
  let day = '';
  for (const entry of entries) {
    const label = dayLabel(new Date(entry.at));
    if (label !== day) out.push({ day: label });
    day = label;
    out.push(entry);
  }
  return out;
}

function Composer({ placeholder, onCommand, busy }) {
  const [text, setText] = useState('');
  const [hint, setHint] = useState('');
  const send = async () => {
    const line = text.trim();
    if (!line || busy) return;
    const m = /^\/mql(?:\s+([\s\S]*))?$/.exec(line);
    if (!m) {
      // Only the slash command reaches the bot; anything else would go nowhere in Slack either.
      setHint('The bot only hears its slash command here: try /mql help');
      return;
    }
    setHint('');
    if (await onCommand((m[1] ?? '').trim())) setText('');
  };
  const key = (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };
  return html`<div class="composer">
    ${hint ? html`<div class="composer-hint">${hint}</div>` : null}
    <div class="composer-box">
      <textarea data-testid="composer" rows="1" placeholder=${placeholder} value=${text}
        onInput=${(e) => setText(e.currentTarget.value)} onKeyDown=${key}></textarea>
      <button type="button" class="send" aria-label="Send" disabled=${busy || !text.trim()} onClick=${send}>➤</button>
    </div>
  </div>`;
}

export function Conversation({ conv, messages, ephemerals, ctxFor, highlight, onOpenThread, onDismiss, onCommand, busy }) {
  const { list, inner, onScroll } = useStickyScroll(highlight, conv.id);
  const title = conv.kind === 'channel' ? `# ${conv.label}` : conv.label;
  return html`<section class="conversation" data-testid="conversation">
    <header class="conv-header"><h1>${title}</h1></header>
    <div class="message-list" ref=${list} onScroll=${onScroll}><div ref=${inner}>
      ${
        messages.length === 0 && ephemerals.length === 0
          ? html`<div class="empty">No messages yet. Load the demo leads, or type <code>/mql help</code>.</div>`
          : null
      }
      ${timeline(messages, ephemerals).map((row) =>
        row.day
          ? html`<div class="day-divider" key=${`day-${row.day}`}><span>${row.day}</span></div>`
          : row.eph
            ? html`<${Ephemeral} key=${row.eph.id} eph=${row.eph} ctx=${ctxFor(undefined, row.eph.id)} onDismiss=${onDismiss} />`
            : html`<${Message} key=${row.msg.ts} msg=${row.msg} ctx=${ctxFor(row.msg.ts, undefined)}
                highlighted=${highlight === row.msg.ts} onOpenThread=${onOpenThread} />`,
      )}
    </div></div>
    <${Composer} key=${conv.id} placeholder=${`Message ${conv.kind === 'channel' ? '#' : ''}${conv.label} — try /mql help`}
      onCommand=${onCommand} busy=${busy} />
  </section>`;
}

export function ThreadPane({ conv, parent, ctxFor, highlight, onClose }) {
  const replies = parent.replies ?? [];
  const { list, inner, onScroll } = useStickyScroll(highlight, parent.ts);
  return html`<aside class="thread" data-testid="thread">
    <header class="conv-header thread-header">
      <h2>Thread <span class="thread-where">${conv.kind === 'channel' ? `# ${conv.label}` : conv.label}</span></h2>
      <button type="button" class="icon-btn" aria-label="Close thread" onClick=${onClose}>×</button>
    </header>
    <div class="message-list" ref=${list} onScroll=${onScroll}><div ref=${inner}>
      <${Message} msg=${parent} ctx=${ctxFor(parent.ts, undefined)} inThread=${true} highlighted=${highlight === parent.ts} />
      <div class="replies-divider"><span>${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</span></div>
      ${replies.map((r) => html`<${Message} key=${r.ts} msg=${r} ctx=${ctxFor(r.ts, undefined)} inThread=${true} highlighted=${highlight === r.ts} />`)}
    </div></div>
  </aside>`;
}
