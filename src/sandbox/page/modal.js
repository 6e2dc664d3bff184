// The modal overlay: Slack's modal view JSON with input blocks, errors under inputs, Cancel and Submit.
import { useEffect, useState } from 'preact/hooks';
import { html, renderBlocks, renderText } from './blocks.js';

const inputBlocks = (view) => (view.blocks ?? []).filter((b) => b?.type === 'input' && b.block_id && b.element);

/** Starting values from initial_option / initial_value / initial_user, keyed by block_id. */
function initialValues(view) {
  const values = {};
  for (const b of inputBlocks(view)) {
    const el = b.element;
    if (el.type === 'static_select') values[b.block_id] = el.initial_option?.value ?? '';
    else if (el.type === 'plain_text_input') values[b.block_id] = el.initial_value ?? '';
    else if (el.type === 'users_select') values[b.block_id] = el.initial_user ?? '';
  }
  return values;
}

/** Slack's view.state.values for the submit. */
function stateValues(view, values) {
  const out = {};
  for (const b of inputBlocks(view)) {
    const el = b.element;
    const v = values[b.block_id] ?? '';
    let entry;
    if (el.type === 'static_select') {
      const option = (el.options ?? []).find((o) => o.value === v);
      entry = { type: 'static_select', selected_option: option ? { value: option.value, text: option.text } : null };
    } else if (el.type === 'plain_text_input') entry = { type: 'plain_text_input', value: v === '' ? null : v };
    else if (el.type === 'users_select') entry = { type: 'users_select', selected_user: v || null };
    else continue;
    out[b.block_id] = { [el.action_id]: entry };
  }
  return out;
}

/** What Slack's client checks before it sends anything: required inputs and max_length. */
function clientErrors(view, values) {
  const errors = {};
  for (const b of inputBlocks(view)) {
    const v = values[b.block_id] ?? '';
    if (!b.optional && !String(v).trim()) errors[b.block_id] = 'Please complete this required field.';
    else if (b.element.max_length && v.length > b.element.max_length)
      errors[b.block_id] = `Please use ${b.element.max_length} characters or fewer.`;
  }
  return errors;
}

function Element({ el, value, onChange, users, id }) {
  const change = (e) => onChange(e.currentTarget.value);
  const placeholder = el.placeholder?.text ?? '';
  switch (el.type) {
    case 'static_select':
      return html`<select id=${id} value=${value} onChange=${change}>
        <option value="">${placeholder || 'Select an item'}</option>
        ${(el.options ?? []).map((o) => html`<option key=${o.value} value=${o.value}>${o.text?.text ?? o.value}</option>`)}
      </select>`;
    case 'users_select':
      return html`<select id=${id} value=${value} onChange=${change}>
        <option value="">${placeholder || 'Select a user'}</option>
        ${users.map((u) => html`<option key=${u.id} value=${u.id}>${u.name} — ${u.title || u.role}</option>`)}
      </select>`;
    case 'plain_text_input':
      return el.multiline
        ? html`<textarea id=${id} rows="4" placeholder=${placeholder} value=${value} onInput=${change}></textarea>`
        : html`<input id=${id} type="text" placeholder=${placeholder} value=${value} onInput=${change} />`;
    default:
      return html`<div class="block-unsupported">[unsupported input: ${String(el.type)}]</div>`;
  }
}

export function Modal({ entry, users, names, onClose, onSubmit, busy }) {
  const view = entry.view ?? {};
  const [values, setValues] = useState(() => initialValues(view));
  const [localErrors, setLocalErrors] = useState(null);
  const errors = localErrors ?? entry.errors ?? {};

  useEffect(() => {
    // Esc closes a Slack modal too.
    const key = (e) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);

  const submit = async (e) => {
    e.preventDefault();
    if (busy) return;
    const mine = clientErrors(view, values);
    if (Object.keys(mine).length) return setLocalErrors(mine);
    setLocalErrors(null);
    const answer = await onSubmit(stateValues(view, values));
    if (answer?.errors) setLocalErrors(answer.errors);
  };

  const renderInput = (b, key) => {
    const id = `input-${b.block_id}`;
    const error = errors[b.block_id];
    return html`<div key=${key} class=${`input-block${error ? ' has-error' : ''}`}>
      <label for=${id}>${renderText(b.label, { names })}${b.optional ? html`<span class="optional"> (optional)</span>` : null}</label>
      <${Element} id=${id} el=${b.element} users=${users} value=${values[b.block_id] ?? ''}
        onChange=${(v) => setValues((old) => ({ ...old, [b.block_id]: v }))} />
      ${error ? html`<div class="modal-error" data-testid="modal-error" role="alert">${error}</div>` : null}
      ${b.hint ? html`<div class="hint">${renderText(b.hint, { names })}</div>` : null}
    </div>`;
  };
  // Errors for blocks that are not inputs would be lost under nothing: show them on top.
  const known = new Set(inputBlocks(view).map((b) => b.block_id));
  const stray = Object.entries(errors).filter(([id]) => !known.has(id));
  // Buttons inside a modal would be block_actions on a view: the contract has no endpoint for them.
  const ctx = { names, renderInput, onButton: null };
  const hasSubmit = Boolean(view.submit) || known.size > 0;

  return html`<div class="overlay">
    <form class="modal" data-testid="modal" role="dialog" aria-modal="true" aria-label=${view.title?.text ?? 'Modal'} onSubmit=${submit}>
      <header class="modal-header">
        <h2>${renderText(view.title, { names })}</h2>
        <button type="button" class="icon-btn" aria-label="Close" onClick=${onClose}>×</button>
      </header>
      <div class="modal-body">
        ${stray.map(([id, text]) => html`<div key=${id} class="modal-error" data-testid="modal-error" role="alert">${text}</div>`)}
        ${renderBlocks(view.blocks, ctx)}
      </div>
      <footer class="modal-footer">
        <button type="button" class="btn" data-testid="modal-cancel" onClick=${onClose}>${view.close?.text ?? 'Cancel'}</button>
        ${
          hasSubmit
            ? html`<button type="submit" class="btn btn-primary" data-testid="modal-submit" disabled=${busy}>${view.submit?.text ?? 'Submit'}</button>`
            : null
        }
      </footer>
    </form>
  </div>`;
}
