import { describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../commands/parse.js';
import { slackCommandText } from '../../src/sandbox/mentions.js';

describe('slackCommandText: what Slack sends for text typed in the sandbox composer', () => {
  it('turns people, channels and user groups picked by name into their mentions', () => {
    expect(slackCommandText('routes add emea when country = Germany to #emea-sales team @ana @Ben @sales-reps')).toBe(
      'routes add emea when country = Germany to <#C0SBEMEA|emea-sales> team <@U0SBANA|ana> <@U0SBBEN|ben> <!subteam^S0SBREPS|@sales-reps>',
    );
  });

  it('escapes & < > as Slack does, and the bot reads the text back as typed', () => {
    const typed = 'criteria add score >= 60 & "R&D" <b>';
    expect(slackCommandText(typed)).toBe('criteria add score &gt;= 60 &amp; "R&amp;D" &lt;b&gt;');
    expect(decodeSlackText(slackCommandText(typed))).toBe(typed);
  });

  it('leaves names nobody has as text, and an email address alone', () => {
    expect(slackCommandText('away @nobody #nowhere ana@example.com')).toBe('away @nobody #nowhere ana@example.com');
  });
});
