import { getActiveCriteria } from '../db/queries/criteria.js';
import { findLeadsByEmailOrExternalId } from '../db/queries/leads-lookup.js';
import { findEventsOfLeads } from '../db/queries/leads.js';
import { findOpenHandoffsOfPeople } from '../db/queries/people.js';
import { leadDisplayName } from '../src/leads/display-name.js';
import { emailKey } from '../src/leads/email-key.js';
import { withoutDecayNote } from '../src/handoff/reasons.js';
import { decayOf, decayText, qualifyingRuleText } from '../src/scoring/axes.js';
import { decayNote } from '../src/scoring/reason-text.js';
import { conditionSyntax } from '../src/scoring/rule-syntax.js';
import { score } from '../src/scoring/score.js';
import type { Criteria, Rule, ScoreReason, ScoreResult } from '../src/scoring/types.js';
import { formatDuration, slackDate } from '../src/slack/mrkdwn.js';
import { code, escapeMrkdwn, linesToBlocks, n, privately, problem } from './reply.js';
import type { Subcommand } from './types.js';

const OTHERS_SHOWN = 5;

/**
 * A reason for reps and marketers alike: the plain words, how old its evidence is (a reply is read now, so an
 * age is true), and the rule that gave it, in the syntax marketers type:
 * "+15 Submitted a form · 40 d ago (decayed from +30) — `events.form_submit >= 1`".
 */
function reasonLine(reason: ScoreReason, rule: Rule | undefined, now: Date): string {
  const age = reason.evidenceAt ? ` · ${formatDuration(now.getTime() - Date.parse(reason.evidenceAt))} ago` : '';
  const text = withoutDecayNote(reason);
  const note = text === reason.reason ? '' : decayNote(reason.fullPoints!);
  const syntax = rule ? ` — ${code(conditionSyntax(rule))}` : '';
  return `• ${escapeMrkdwn(text)}${age}${escapeMrkdwn(note)}${syntax}`;
}

/** The decay setting, and when this score next changes by itself (decay, an event leaving a window). */
function decayLine(criteria: Criteria, result: ScoreResult, now: Date): string {
  const setting = decayText(decayOf(criteria));
  const next = result.nextChangeAt;
  const change = next ? `; this score next changes in ${formatDuration(next.getTime() - now.getTime())} (${slackDate(next)})` : '';
  return `_${setting.charAt(0).toUpperCase()}${setting.slice(1)}${change}._`;
}

export const scoreCommand: Subcommand = {
  words: ['score'],
  usage: '/mql score <email | external id>',
  example: '/mql score jane@example.com',
  summary: "a lead's score (fit and engagement), what it needs to qualify, stage and every reason behind the score",
  async run({ deps, args }) {
    if (args.length === 0) return problem('missing the email or external id of the lead', this);
    if (args.length > 1)
      return problem(`expected one email or external id, not \`${args.map((a) => a.text).join(' ')}\` (quote an id with spaces)`, this);
    const key = args[0]!.text.trim();
    const db = deps.database.db;
    const ignorePlus = deps.config.people.mergePlusAddresses;
    const found = await findLeadsByEmailOrExternalId(db, key, emailKey(key, { ignorePlus }), OTHERS_SHOWN + 1);
    const [lead, ...others] = found.leads;
    if (!lead) return problem(`no stored lead has the email or external id \`${key}\``, this);

    // Scored now with the active criteria: background re-scoring may not have reached this lead yet.
    const criteria = await getActiveCriteria(db);
    const events = (await findEventsOfLeads(db, [lead.id])).get(lead.id) ?? [];
    const now = deps.now();
    const result = score(lead, events, criteria, now);
    const rules = new Map(criteria.rules.map((r) => [r.id, r]));
    const reasons = [...result.breakdown].sort((a, b) => b.points - a.points);

    const who =
      [lead.name, lead.company, lead.email]
        .filter((v): v is string => !!v)
        .map(escapeMrkdwn)
        .join(' · ') || '(no name)';
    const lines = [
      `*${who}* (source ${code(lead.source)}, id ${code(lead.externalId)})`,
      `Score *${n(result.total)}* (fit ${n(result.fit)} · engagement ${n(result.engagement)}): *${result.qualified ? 'qualified' : 'not qualified'}* (needs ${code(qualifyingRuleText(criteria))}) · stage *${lead.stage}* · criteria version ${result.criteriaVersion}`,
      decayLine(criteria, result, now),
      ...(reasons.length ? reasons.map((b) => reasonLine(b, rules.get(b.ruleId), now)) : ['_No rule matches this lead._']),
    ];
    if (lead.criteriaVersion !== result.criteriaVersion || lead.score !== result.total) {
      lines.push(
        `_Stored score: ${n(lead.score)} by criteria version ${lead.criteriaVersion ?? '–'}; background re-scoring brings it up to date._`,
      );
    }
    // One person, one open handoff (src/leads/person-activity.ts): say where this lead's activity goes.
    const person = emailKey(lead.email, { ignorePlus });
    const holder = person ? (await findOpenHandoffsOfPeople(db, [person])).get(person) : undefined;
    if (holder && holder.leadId !== lead.id) {
      lines.push(
        `Same person as *${escapeMrkdwn(leadDisplayName(holder))}* (source ${code(holder.source)}, id ${code(holder.externalId)}): its activity goes to that lead's open handoff.`,
      );
    } else if (holder && person && (await findLeadsByEmailOrExternalId(db, person, person, 2)).total > 1) {
      lines.push('_This lead holds the person’s open handoff: activity of the same person from other sources is added to it._');
    }
    if (found.total > 1) {
      const listed = others.slice(0, OTHERS_SHOWN).map((o) => `${code(o.source)}/${code(o.externalId)}`);
      const rest = found.total - 1 - listed.length;
      const more = found.total - 1;
      lines.push(
        `_${n(more)} more ${more === 1 ? 'lead matches' : 'leads match'} ${code(key)}: ${listed.join(', ')}${rest > 0 ? ` and ${n(rest)} more` : ''}_`,
      );
    }
    return privately(
      `Score of ${escapeMrkdwn(key)}: ${result.total} (fit ${result.fit} · engagement ${result.engagement})`,
      linesToBlocks(lines),
    );
  },
};
