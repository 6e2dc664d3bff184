// The sandbox page: a cut-down Slack workspace over /sandbox/state, refreshed by /sandbox/stream events.
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getState, post, subscribe } from './api.js';
import { html } from './blocks.js';
import { formatClock } from './dates.js';
import { HomePane } from './home.js';
import { Conversation, ThreadPane } from './messages.js';
import { Modal } from './modal.js';
import { Sidebar } from './sidebar.js';
import { TopBar } from './topbar.js';
import { compareTs, latestTs, storageGet, storageSet } from './util.js';

/** The bot's Home tab, HOME_ID in the page's list, as Slack lists an app's Home beside the conversations. */
const HOME_ID = 'home';

/** The bot's Home, channels, then the current user's DM with the bot (the only DM a user can see). */
function conversationsFor(state, user) {
  const bot = state.bot?.name ?? 'MQL bot';
  const channels = state.channels.map((c) => ({ id: c.id, label: c.name, kind: 'channel' }));
  const dm = state.dms.find((d) => d.user === user);
  return [{ id: HOME_ID, label: bot, kind: 'home' }, ...channels, ...(dm ? [{ id: dm.id, label: bot, kind: 'dm' }] : [])];
}

function useToast() {
  const [toast, setToast] = useState(null);
  const timer = useRef(0);
  const show = useCallback((text, kind = 'info') => {
    clearTimeout(timer.current);
    setToast({ text, kind });
    timer.current = setTimeout(() => setToast(null), kind === 'error' ? 6000 : 3500);
  }, []);
  return [toast, show];
}

function App() {
  const [state, setState] = useState(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [loadError, setLoadError] = useState('');
  const [connected, setConnected] = useState(true);
  const [user, setUser] = useState(() => storageGet('user', ''));
  const [convId, setConvId] = useState(() => storageGet('conv', ''));
  const [thread, setThread] = useState(null); // { conv, ts } of the parent message
  const [highlight, setHighlight] = useState(null);
  const [seen, setSeen] = useState(() => storageGet('seen', {}));
  const [busy, setBusy] = useState(false);
  const [toast, showToast] = useToast();
  const baseline = useRef(null); // what existed at first load counts as read until seen otherwise
  const version = useRef(-1);
  const loading = useRef(false);
  const again = useRef(false);

  // One fetch at a time; a change during a fetch triggers one more, and an older answer never wins.
  const refresh = useCallback(async () => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    try {
      do {
        again.current = false;
        const next = await getState();
        if (next.version >= version.current) {
          version.current = next.version;
          setState(next);
          setFetchedAt(Date.now());
          setLoadError('');
        }
      } while (again.current);
    } catch (e) {
      setLoadError(e.message);
    } finally {
      loading.current = false;
    }
  }, []);

  useEffect(() => {
    void refresh();
    return subscribe((v) => v !== version.current && void refresh(), setConnected);
  }, [refresh]);

  const users = state?.users ?? [];
  const currentUser = users.find((u) => u.id === user) ?? users[0];
  const uid = currentUser?.id ?? '';
  const conversations = useMemo(() => (state ? conversationsFor(state, uid) : []), [state, uid]);
  const conv = conversations.find((c) => c.id === convId) ?? conversations.find((c) => c.kind === 'channel');

  useEffect(() => {
    if (uid) storageSet('user', uid);
  }, [uid]);
  useEffect(() => {
    if (conv) storageSet('conv', conv.id);
  }, [conv?.id]);

  // Opening the Home tab (or showing it to another person) is what makes Slack tell the bot to publish it.
  const onHome = conv?.kind === 'home';
  useEffect(() => {
    if (onHome && uid) void post('home', { user: uid }).catch((e) => showToast(e.message, 'error'));
  }, [onHome, uid]);

  if (state && !baseline.current) {
    baseline.current = Object.fromEntries(Object.entries(state.messages).map(([id, msgs]) => [id, latestTs(msgs)]));
  }
  const latestOf = (id) => latestTs(state?.messages[id]);
  const unread = new Set(
    conversations
      .filter((c) => c.id !== conv?.id && compareTs(latestOf(c.id), seen[`${uid}:${c.id}`] ?? baseline.current?.[c.id] ?? '0') > 0)
      .map((c) => c.id),
  );

  // Whatever is on screen is read.
  const shownLatest = conv ? latestOf(conv.id) : '0';
  useEffect(() => {
    if (!conv || !uid) return;
    const key = `${uid}:${conv.id}`;
    if (seen[key] === shownLatest) return;
    const next = { ...seen, [key]: shownLatest };
    setSeen(next);
    storageSet('seen', next);
  }, [uid, conv?.id, shownLatest]);

  /** Runs one POST; errors become a toast. Returns the answer, or null when it failed. */
  const act = useCallback(
    async (action, body, done) => {
      setBusy(true);
      try {
        const answer = await post(action, body);
        if (done) showToast(done(answer));
        return answer;
      } catch (e) {
        showToast(e.message, 'error');
        return null;
      } finally {
        setBusy(false);
        void refresh();
      }
    },
    [refresh, showToast],
  );

  if (!state) {
    return html`<div class="loading">${loadError ? `The sandbox is not answering: ${loadError}` : 'Loading the sandbox…'}</div>`;
  }

  const names = { users: state.users, bot: state.bot, channels: state.channels, groups: state.groups };
  const messages = conv ? (state.messages[conv.id] ?? []) : [];
  const ephemerals = conv ? (state.ephemerals ?? []).filter((e) => e.user === uid && e.channel === conv.id) : [];
  const modalStack = state.modals?.[uid] ?? [];
  const modal = modalStack[modalStack.length - 1];
  const parent = thread && thread.conv === conv?.id ? messages.find((m) => m.ts === thread.ts) : null;

  const select = (id) => {
    setConvId(id);
    setHighlight(null);
    if (thread?.conv !== id) setThread(null);
  };

  /** A Slack message link: open its conversation (and thread, for a reply) and point at the message. */
  const openMessage = (id, ts) => {
    if (!conversations.some((c) => c.id === id)) return showToast('That message is in a conversation this user cannot see.', 'error');
    const list = state.messages[id] ?? [];
    const top = list.find((m) => m.ts === ts) ?? list.find((m) => m.replies?.some((r) => r.ts === ts));
    select(id);
    if (top && top.ts !== ts) setThread({ conv: id, ts: top.ts });
    setHighlight(ts);
  };

  const ctxFor = (ts, ephemeralId) => ({
    names,
    openMessage,
    onButton: (button, blockId) =>
      act('click', {
        user: uid,
        channel: conv.id,
        ...(ephemeralId ? { ephemeralId } : { ts }),
        actionId: button.action_id,
        blockId,
        value: button.value ?? '',
      }),
  });

  const switchUser = (id) => {
    setUser(id);
    setThread(null);
    setHighlight(null);
  };

  return html`<div class=${`app${parent ? ' with-thread' : ''}`}>
    <${TopBar} users=${users} user=${uid} onUser=${switchUser} clock=${state.clock} fetchedAt=${fetchedAt} busy=${busy}
      connected=${connected}
      onDemo=${() => act('demo', {}, (a) => `Demo leads: ${a.imported ?? 0} imported, ${a.qualified ?? 0} qualified, ${a.posted ?? 0} posted.`)}
      onAdvance=${(minutes) =>
        act('advance', { minutes }, (a) => `Bot clock moved to ${a.now ? formatClock(new Date(a.now)) : 'the future'}.`)} />
    <${Sidebar} conversations=${conversations} current=${conv?.id} unread=${unread} onSelect=${select}
      userLabel=${currentUser ? `${currentUser.name} — ${currentUser.title || currentUser.role}` : ''} />
    ${
      onHome
        ? html`<${HomePane} view=${state.homes?.[uid]} botName=${conv.label} ctx=${{
            names,
            openMessage,
            onButton: (button, blockId) => act('homeClick', { user: uid, actionId: button.action_id, blockId, value: button.value ?? '' }),
          }} />`
        : conv
          ? html`<${Conversation} conv=${conv} messages=${messages} ephemerals=${ephemerals} ctxFor=${ctxFor} highlight=${highlight}
          busy=${busy} onOpenThread=${(ts) => setThread({ conv: conv.id, ts })}
          onDismiss=${(ephemeralId) => act('dismiss', { user: uid, ephemeralId })}
          onCommand=${async (text) => Boolean(await act('command', { user: uid, channel: conv.id, text }))} />`
          : html`<section class="conversation" data-testid="conversation"><div class="empty">No conversations.</div></section>`
    }
    ${
      parent
        ? html`<${ThreadPane} key=${parent.ts} conv=${conv} parent=${parent} ctxFor=${ctxFor} highlight=${highlight}
          onClose=${() => setThread(null)} />`
        : null
    }
    ${
      modal
        ? html`<${Modal} key=${`${uid}:${modal.id}`} entry=${modal} users=${users} names=${names} busy=${busy}
          onClose=${() => act('close', { user: uid, viewId: modal.id })}
          onSubmit=${(values) => act('submit', { user: uid, viewId: modal.id, values })} />`
        : null
    }
    ${toast ? html`<div class=${`toast toast-${toast.kind}`} data-testid="toast" role="status">${toast.text}</div>` : null}
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
