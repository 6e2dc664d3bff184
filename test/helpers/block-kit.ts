/** Checks a message's blocks against Slack's documented limits; returns every violation found. */
export function blockKitViolations(blocks: Array<Record<string, any>>): string[] {
  const problems: string[] = [];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  const check = (cond: boolean, message: string) => cond || problems.push(message);
  blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    if (block.type === 'header') check(block.text.text.length <= 150, `${at}: header text > 150`);
    if (block.type === 'section') {
      if (block.text) check(block.text.text.length <= 3000, `${at}: section text > 3000`);
      if (block.fields) {
        check(block.fields.length <= 10, `${at}: > 10 fields`);
        for (const f of block.fields) check(f.text.length <= 2000, `${at}: field > 2000`);
      }
      check(Boolean(block.text || block.fields), `${at}: section without text or fields`);
    }
    if (block.type === 'context') {
      check(block.elements.length <= 10, `${at}: > 10 context elements`);
      for (const e of block.elements) check(e.text.length <= 3000, `${at}: context text > 3000`);
    }
    if (block.type === 'actions') {
      check(block.elements.length <= 25, `${at}: > 25 actions`);
      for (const b of block.elements) {
        check(b.text.text.length <= 75, `${at}: button text > 75`);
        check((b.value ?? '').length <= 2000, `${at}: button value > 2000`);
        check(b.action_id.length <= 255, `${at}: action_id > 255`);
      }
    }
    if (block.block_id) check(block.block_id.length <= 255, `${at}: block_id > 255`);
  });
  return problems;
}
