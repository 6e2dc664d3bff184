import { code, escapeMrkdwn, linesToBlocks, privately } from './reply.js';
import type { Reply, Subcommand } from './types.js';

/** Every subcommand with one example; `note` (e.g. what was not understood) goes first. */
export function helpReply(commands: readonly Subcommand[], note?: string): Reply {
  const lines = [
    ...(note ? [`:warning: ${escapeMrkdwn(note)}`] : []),
    '*`/mql` commands*',
    ...commands.map((c) => `• ${code(c.example)} — ${escapeMrkdwn(c.summary)}`),
  ];
  return privately(lines.join('\n'), linesToBlocks(lines));
}

export const help: Subcommand = {
  words: ['help'],
  usage: '/mql help',
  example: '/mql help',
  summary: 'this list',
  instant: true,
  run: async (ctx) => helpReply(ctx.commands),
};
