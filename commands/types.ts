import type { Deps } from '../src/deps.js';
import type { KnownBlock } from '@slack/types';
import type { Role } from '../src/slack/roles.js';
import type { Token } from '../src/scoring/rule-tokens.js';

/** What a subcommand answers: private to the caller unless `in_channel`. */
export interface Reply {
  response_type: 'ephemeral' | 'in_channel';
  /** Shown in notifications and where blocks cannot be; the blocks carry the full reply. */
  text: string;
  blocks?: KnownBlock[];
}

export interface Usage {
  /** E.g. `/mql criteria remove <id>`. */
  usage: string;
  /** One real example, e.g. `/mql criteria remove 7`. */
  example: string;
  /** What it does, for `/mql help`. */
  summary: string;
}

export interface CommandContext {
  deps: Deps;
  userId: string;
  channelId: string;
  /** The tokens after the subcommand's words (Slack escaping already decoded). */
  args: Token[];
  /** Every registered subcommand (for help). */
  commands: readonly Subcommand[];
}

export interface Subcommand extends Usage {
  /** The words that select it, e.g. `['criteria', 'add']`; the longest match wins. */
  words: readonly string[];
  /** Answered inside the ack (no I/O, so well within Slack's 3 seconds); others ack first and reply after. */
  instant?: boolean;
  /** Who may run it (anyone holding one of the roles, when several); the router refuses everyone else before it runs. Unset: everyone. */
  requires?: Role | readonly Role[];
  run(ctx: CommandContext): Promise<Reply>;
}
