// Block Kit JSON and mrkdwn tokens → Preact vnodes. All text goes in as text children (Preact makes text
// nodes), so nothing the bot or a lead sends can become markup.
import { h } from 'preact';
import htm from 'htm';
import { parseMrkdwn, parsePlain } from './mrkdwn.js';

export const html = htm.bind(h);

/**
 * `ctx`: { names: { users, bot, channels } for mentions, openMessage(conversation, ts) for Slack message
 * links, onButton(button, blockId) for button clicks, renderInput(block) for modal input blocks }.
 */
export function renderTokens(tokens, ctx) {
  return tokens.map((t, i) => renderToken(t, ctx, i));
}

function renderToken(t, ctx, key) {
  switch (t.type) {
    case 'text':
    case 'emoji':
      return t.text;
    case 'br':
      return html`<br key=${key} />`;
    case 'bold':
      return html`<b key=${key}>${renderTokens(t.children, ctx)}</b>`;
    case 'italic':
      return html`<i key=${key}>${renderTokens(t.children, ctx)}</i>`;
    case 'strike':
      return html`<s key=${key}>${renderTokens(t.children, ctx)}</s>`;
    case 'quote':
      return html`<blockquote key=${key}>${renderTokens(t.children, ctx)}</blockquote>`;
    case 'code':
      return html`<code key=${key}>${t.text}</code>`;
    case 'pre':
      return html`<pre key=${key}>${t.text}</pre>`;
    case 'link':
      return renderLink(t, ctx, key);
    case 'user':
    case 'usergroup':
    case 'channel':
      return html`<span key=${key} class="mention">${t.text}</span>`;
    case 'broadcast':
      return html`<span key=${key} class="mention broadcast">${t.text}</span>`;
    case 'date':
      return html`<span key=${key} class="date">${t.text}</span>`;
    default:
      return null;
  }
}

function renderLink(t, ctx, key) {
  const children = renderTokens(t.children, ctx);
  if (t.conversation && ctx?.openMessage) {
    // The bot's own message links stay in the sandbox: there is no real Slack behind them.
    const open = (e) => {
      e.preventDefault();
      ctx.openMessage(t.conversation, t.ts);
    };
    return html`<a key=${key} href=${t.href} onClick=${open}>${children}</a>`;
  }
  // The href passed mrkdwn.js's scheme check (http, https, mailto only).
  return html`<a key=${key} href=${t.href} target="_blank" rel="noopener noreferrer">${children}</a>`;
}

/** A text object: mrkdwn or plain_text. */
export function renderText(obj, ctx) {
  if (!obj || typeof obj.text !== 'string') return null;
  const tokens = obj.type === 'mrkdwn' ? parseMrkdwn(obj.text, ctx?.names) : parsePlain(obj.text, obj.emoji !== false);
  return renderTokens(tokens, ctx);
}

export function renderButton(button, blockId, ctx, key) {
  const cls = `btn${button.style === 'primary' ? ' btn-primary' : button.style === 'danger' ? ' btn-danger' : ''}`;
  const label = button.text?.text ?? '';
  const click = () => {
    if (button.url) {
      if (/^(https?:|mailto:)/i.test(button.url)) window.open(button.url, '_blank', 'noopener,noreferrer');
      return;
    }
    ctx?.onButton?.(button, blockId);
  };
  return html`<button key=${key} type="button" class=${cls} onClick=${click}>${label}</button>`;
}

const unsupported = (type, key) => html`<div key=${key} class="block-unsupported">[unsupported block: ${String(type)}]</div>`;

/**
 * One block. Blocks without a block_id get a stand-in (Slack makes up a random one); the page sends it
 * back with the click as Slack would.
 */
export function renderBlock(block, index, ctx) {
  const key = block?.block_id ?? index;
  const blockId = block?.block_id ?? `block-${index}`;
  switch (block?.type) {
    case 'header':
      return html`<div key=${key} class="block-header">${renderText(block.text, ctx)}</div>`;
    case 'section':
      return html`<div key=${key} class="block-section">
        <div class="section-body">
          ${block.text ? html`<div class="section-text">${renderText(block.text, ctx)}</div>` : null}
          ${
            block.fields?.length
              ? html`<div class="section-fields">${block.fields.map((f, i) => html`<div key=${i} class="field">${renderText(f, ctx)}</div>`)}</div>`
              : null
          }
        </div>
        ${block.accessory?.type === 'button' ? html`<div class="section-accessory">${renderButton(block.accessory, blockId, ctx)}</div>` : null}
      </div>`;
    case 'context':
      return html`<div key=${key} class="block-context">${(block.elements ?? []).map((el, i) => contextElement(el, i, ctx))}</div>`;
    case 'actions':
      return html`<div key=${key} class="block-actions">
        ${(block.elements ?? []).map((el, i) => (el?.type === 'button' ? renderButton(el, blockId, ctx, i) : unsupported(el?.type, i)))}
      </div>`;
    case 'divider':
      return html`<hr key=${key} class="block-divider" />`;
    case 'input':
      return ctx?.renderInput ? ctx.renderInput(block, key) : unsupported('input', key);
    default:
      return unsupported(block?.type, key);
  }
}

function contextElement(el, i, ctx) {
  if (el?.type === 'image') {
    // Only https images: nothing on plain http or odd schemes is loaded.
    return typeof el.image_url === 'string' && el.image_url.startsWith('https://')
      ? html`<img key=${i} class="context-image" src=${el.image_url} alt=${el.alt_text ?? ''} />`
      : null;
  }
  return html`<span key=${i} class="context-text">${renderText(el, ctx)}</span>`;
}

export function renderBlocks(blocks, ctx) {
  if (!Array.isArray(blocks)) return null;
  return blocks.map((b, i) => renderBlock(b, i, ctx));
}
