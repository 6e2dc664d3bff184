// Types for mrkdwn.js, so TypeScript tests can import the page's plain ES module (allowJs is off).

export type Token =
  | { type: 'text'; text: string }
  | { type: 'emoji'; name: string; text: string }
  | { type: 'bold' | 'italic' | 'strike' | 'quote'; children: Token[] }
  | { type: 'code' | 'pre'; text: string }
  | { type: 'br' }
  | { type: 'link'; href: string; children: Token[]; conversation?: string; ts?: string }
  | { type: 'user'; id: string; text: string }
  | { type: 'channel'; id: string; text: string }
  | { type: 'broadcast'; name: 'here' | 'channel' | 'everyone'; text: string }
  | { type: 'usergroup'; id: string; text: string }
  | { type: 'date'; seconds: number | null; text: string };

export interface MrkdwnContext {
  users?: Array<{ id: string; name: string }>;
  bot?: { id: string; name: string };
  channels?: Array<{ id: string; name: string }>;
  groups?: Array<{ id: string; handle: string }>;
}

export const EMOJI: Record<string, string>;
export function decodeEntities(text: string): string;
export function formatClock(date: Date): string;
export function formatSlackDate(seconds: number, format: string): string;
export function textTokens(text: string): Token[];
export function parsePlain(text: string, emoji?: boolean): Token[];
export function angleToken(inner: string, ctx?: MrkdwnContext): Token;
export function parseMrkdwn(text: string | null | undefined, ctx?: MrkdwnContext): Token[];
