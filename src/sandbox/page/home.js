// The app's Home tab: the view the bot last published for the current user, with working buttons.
import { html, renderBlocks } from './blocks.js';

export function HomePane({ view, ctx, botName }) {
  return html`<section class="conversation home" data-testid="home">
    <header class="conv-header"><h1>${botName} · Home</h1></header>
    <div class="message-list home-body">
      ${
        view
          ? html`<div class="blocks home-blocks" data-testid="home-view">${renderBlocks(view.blocks, ctx)}</div>`
          : html`<div class="empty">Opening Home…</div>`
      }
    </div>
  </section>`;
}
