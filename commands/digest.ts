import { buildDigest, postDigest } from '../src/sla/digest.js';
import { digestBlocks, digestFallbackText } from '../src/sla/digest-blocks.js';
import { privately } from './reply.js';
import type { Subcommand } from './types.js';

export const digestNow: Subcommand = {
  words: ['digest', 'now'],
  usage: '/mql digest now',
  example: '/mql digest now',
  summary: "post the managers' digest to the digest channel now (managers)",
  requires: 'manager',
  async run({ deps, userId }) {
    const now = deps.now();
    // Its own slot: an on-demand digest neither replaces nor blocks the scheduled one.
    await postDigest(deps, now, `manual:${now.toISOString()}:${userId}`);
    return privately(`:white_check_mark: The digest is on its way to <#${deps.config.slack.digestChannel}>.`);
  },
};

export const digestPreview: Subcommand = {
  words: ['digest', 'preview'],
  usage: '/mql digest preview',
  example: '/mql digest preview',
  summary: 'show the digest to you alone, without posting it (managers)',
  requires: 'manager',
  async run({ deps }) {
    const digest = await buildDigest(deps, deps.now());
    return privately(digestFallbackText(digest), digestBlocks(digest));
  },
};
