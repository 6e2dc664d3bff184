import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/*
 * What the sandbox's stand-in for Slack remembers: the messages of each conversation, ephemerals, open
 * modals, and the short-lived trigger ids and response URLs it handed out. Saved to a JSON file beside the
 * database, so a restarted bot finds its posts where it left them (its handoffs point at their ts).
 */

export interface StoredMessage {
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  metadata?: unknown;
  threadTs?: string;
  edited: boolean;
}

export interface Ephemeral {
  id: string;
  user: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  at: string;
}

export interface OpenModal {
  id: string;
  view: Record<string, unknown>;
  errors?: Record<string, string>;
}

/** Where a response_url sends its answers: who asked, where, and (for a click) the message clicked. */
export interface ResponseTarget {
  user: string;
  channel: string;
  messageTs?: string;
  ephemeralId?: string;
  uses: number;
  expiresAt: number;
}

const persisted = z.object({
  clockOffsetMs: z.number().finite().default(0),
  lastTs: z.number().finite().default(0),
  messages: z.record(z.string(), z.array(z.custom<StoredMessage>((m) => typeof m === 'object' && m !== null))).default({}),
  homes: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

/** Per conversation; older messages are dropped (the bot only ever looks back a few minutes for its own posts). */
const MAX_MESSAGES_PER_CONVERSATION = 2000;
const MAX_EPHEMERALS = 200;
/** Slack's limits: a trigger id lives 3 s; a response_url takes 5 answers within 30 min. */
export const TRIGGER_TTL_MS = 3000;
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export class WorkspaceStore {
  messages = new Map<string, StoredMessage[]>();
  ephemerals: Ephemeral[] = [];
  modals = new Map<string, OpenModal[]>();
  homes = new Map<string, Record<string, unknown>>();
  triggers = new Map<string, { user: string; expiresAt: number }>();
  responseTargets = new Map<string, ResponseTarget>();
  clockOffsetMs = 0;
  version = 0;
  private lastTs = 0;
  private listeners = new Set<(version: number) => void>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string | null,
    private readonly onSaveFailed: (error: unknown) => void = () => {},
  ) {
    if (file) this.load(file);
  }

  /** A new message ts ("seconds.micros"), after every earlier one, at the bot's clock. */
  nextTs(now: Date): string {
    this.lastTs = Math.max(this.lastTs + 1, now.getTime() * 1000);
    return `${Math.floor(this.lastTs / 1e6)}.${String(this.lastTs % 1e6).padStart(6, '0')}`;
  }

  conversation(id: string): StoredMessage[] {
    const list = this.messages.get(id) ?? [];
    this.messages.set(id, list);
    return list;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  addMessage(message: StoredMessage): void {
    const list = this.conversation(message.channel);
    list.push(message);
    if (list.length > MAX_MESSAGES_PER_CONVERSATION) list.splice(0, list.length - MAX_MESSAGES_PER_CONVERSATION);
    this.changed();
  }

  addEphemeral(entry: Omit<Ephemeral, 'id'>): Ephemeral {
    const ephemeral = { id: newId('E'), ...entry };
    this.ephemerals.push(ephemeral);
    if (this.ephemerals.length > MAX_EPHEMERALS) this.ephemerals.splice(0, this.ephemerals.length - MAX_EPHEMERALS);
    this.changed();
    return ephemeral;
  }

  issueTrigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    for (const [key, trigger] of this.triggers) if (trigger.expiresAt < Date.now()) this.triggers.delete(key);
    this.triggers.set(id, { user, expiresAt: Date.now() + TRIGGER_TTL_MS });
    return id;
  }

  issueResponseTarget(target: Omit<ResponseTarget, 'uses' | 'expiresAt'>): string {
    const id = randomBytes(12).toString('hex');
    for (const [key, t] of this.responseTargets) if (t.expiresAt < Date.now()) this.responseTargets.delete(key);
    this.responseTargets.set(id, { ...target, uses: 0, expiresAt: Date.now() + RESPONSE_URL_TTL_MS });
    return id;
  }

  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.version++;
    for (const listener of this.listeners) listener(this.version);
    if (this.file && !this.saveTimer) this.saveTimer = setTimeout(() => this.flush(), 200);
  }

  /** Writes pending changes now (on stop). Written to a temporary file first, so a crash never leaves half a file. */
  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const data = {
      clockOffsetMs: this.clockOffsetMs,
      lastTs: this.lastTs,
      messages: Object.fromEntries(this.messages),
      homes: Object.fromEntries(this.homes),
    };
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(data));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (error) {
      // Runs from a timer: a failure here must be reported, never thrown out of it.
      this.onSaveFailed(error);
    }
  }

  private load(file: string): void {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return; // a first start
    }
    const data = persisted.safeParse(safeJson(raw));
    if (!data.success) return;
    this.clockOffsetMs = data.data.clockOffsetMs;
    this.lastTs = data.data.lastTs;
    this.messages = new Map(Object.entries(data.data.messages));
    this.homes = new Map(Object.entries(data.data.homes));
  }
}

export const newId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
