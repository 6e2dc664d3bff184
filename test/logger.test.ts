import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

describe('logging', () => {
  it('censors tokens, secrets and Authorization headers wherever they sit in a log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ token: 'xoxb-secret-1', req: { headers: { authorization: 'Bearer secret-2' } } }, 'request');
    logger.info({ slack: { botToken: 'xoxb-secret-3', signingSecret: 'secret-4', appToken: 'xapp-secret-5' } }, 'config');
    logger.child({ component: 'x' }).warn({ headers: { authorization: 'Bearer secret-6' } }, 'child');
    const output = lines.join('');
    expect(output).not.toMatch(/secret-\d/);
    expect(output.match(/\[redacted\]/g)).toHaveLength(6);
  });
});
