import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { BASE, problems, SECRETS } from './config-fixtures.js';

describe('loadConfig: defaults', () => {
  const config = loadConfig(BASE);

  it('reads the required values', () => {
    expect(config.slack.botToken).toBe(SECRETS.SLACK_BOT_TOKEN);
    expect(config.slack.signingSecret).toBe(SECRETS.SLACK_SIGNING_SECRET);
    expect(config.slack.salesChannel).toBe('C0SALES');
    expect(config.leadApiToken).toBe(SECRETS.LEAD_API_TOKEN);
  });

  it('CLAIM_SLA 15m and DECISION_SLA 24h', () => {
    expect(config.sla.claimSlaMs).toBe(900_000);
    expect(config.sla.decisionSlaMs).toBe(86_400_000);
  });

  it('a weekday-morning digest in UTC', () => {
    expect(config.digest).toEqual({ cron: '0 9 * * 1-5', timeZone: 'UTC' });
    expect(config.sla.timeZone).toBe('UTC');
  });

  it('port 3000, Slack’s API, embedded database in ./.data', () => {
    expect(config.port).toBe(3000);
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.db).toEqual({ url: undefined, dataDir: './.data' });
  });

  it('the digest goes to the sales channel unless set (an empty value counts as unset)', () => {
    expect(config.slack.digestChannel).toBe('C0SALES');
    expect(loadConfig({ ...BASE, SLACK_DIGEST_CHANNEL: '' }).slack.digestChannel).toBe('C0SALES');
    expect(loadConfig({ ...BASE, SLACK_DIGEST_CHANNEL: 'C0DIGEST' }).slack.digestChannel).toBe('C0DIGEST');
  });

  it('no business hours, no auto-release, no roles, no app token', () => {
    expect(config.sla.businessHours).toBeNull();
    expect(config.sla.autoRelease).toBe(false);
    expect(config.roles).toEqual({ marketers: { users: [], groups: [] }, managers: { users: [], groups: [] } });
    expect(config.slack.appToken).toBeUndefined();
  });
});

describe('loadConfig: good values', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
    [' 45m ', 2_700_000],
  ])('CLAIM_SLA %j → %i ms', (text, ms) => {
    expect(loadConfig({ ...BASE, CLAIM_SLA: text }).sla.claimSlaMs).toBe(ms);
    expect(loadConfig({ ...BASE, DECISION_SLA: text }).sla.decisionSlaMs).toBe(ms);
  });

  it('splits MQL_MARKETERS / MQL_MANAGERS into user ids and user-group ids (comma or space separated)', () => {
    const config = loadConfig({ ...BASE, MQL_MARKETERS: 'U0AAA, S0GRP  W0BBB', MQL_MANAGERS: 'U0BOSS' });
    expect(config.roles.marketers).toEqual({ users: ['U0AAA', 'W0BBB'], groups: ['S0GRP'] });
    expect(config.roles.managers).toEqual({ users: ['U0BOSS'], groups: [] });
  });

  it('parses BUSINESS_HOURS, TZ_DIGEST, DIGEST_CRON, PORT, DATABASE_URL, AUTO_RELEASE', () => {
    const config = loadConfig({
      ...BASE,
      BUSINESS_HOURS: 'Mon-Fri 09:00-18:00',
      TZ_DIGEST: 'Europe/Berlin',
      DIGEST_CRON: '30 8 * * *',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/mql',
      AUTO_RELEASE: 'yes',
      SLACK_API_URL: 'http://localhost:9999/api',
    });
    expect(config.sla.businessHours).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
    expect(config.sla.timeZone).toBe('Europe/Berlin');
    expect(config.digest).toEqual({ cron: '30 8 * * *', timeZone: 'Europe/Berlin' });
    expect(config.port).toBe(8080);
    expect(config.db.url).toBe('postgres://u:p@db:5432/mql');
    expect(config.sla.autoRelease).toBe(true);
    expect(config.slack.apiUrl).toBe('http://localhost:9999/api/');
  });

  it('accepts postgresql:// too', () => {
    expect(loadConfig({ ...BASE, DATABASE_URL: 'postgresql://db/mql' }).db.url).toBe('postgresql://db/mql');
  });
});

describe('loadConfig: each bad value is reported on its own line, naming the variable', () => {
  it.each([
    ['CLAIM_SLA', 'soon', 'CLAIM_SLA: "soon" is not a duration like 30s, 15m, 2h, 1d'],
    ['CLAIM_SLA', '15', 'CLAIM_SLA: "15" is not a duration like 30s, 15m, 2h, 1d'],
    ['CLAIM_SLA', '0m', 'CLAIM_SLA: "0m" is not a duration like 30s, 15m, 2h, 1d'],
    ['CLAIM_SLA', '-5m', 'CLAIM_SLA: "-5m" is not a duration like 30s, 15m, 2h, 1d'],
    ['DECISION_SLA', '3 fortnights', 'DECISION_SLA: "3 fortnights" is not a duration like 30s, 15m, 2h, 1d'],
    ['DIGEST_CRON', 'every morning', 'DIGEST_CRON: is not a cron expression like "0 9 * * 1-5"'],
    ['DIGEST_CRON', '61 9 * * *', 'DIGEST_CRON: is not a cron expression like "0 9 * * 1-5"'],
    ['TZ_DIGEST', 'Mars/Olympus_Mons', 'TZ_DIGEST: is not an IANA time zone like UTC or Europe/Berlin'],
    ['BUSINESS_HOURS', 'weekdays 9-6', 'BUSINESS_HOURS: expected days and hours like "Mon-Fri 09:00-18:00"'],
    [
      'BUSINESS_HOURS',
      'Mon-Fri 18:00-09:00',
      'BUSINESS_HOURS: the hours must be a valid range within one day; expected days and hours like "Mon-Fri 09:00-18:00"',
    ],
    ['MQL_MANAGERS', 'U0BOSS, bob, u0lower', 'MQL_MANAGERS: not Slack user or user-group ids: bob, u0lower'],
    ['MQL_MARKETERS', '@alice', 'MQL_MARKETERS: not Slack user or user-group ids: @alice'],
    ['LEAD_API_TOKEN', 'short', 'LEAD_API_TOKEN: must be at least 16 characters'],
    ['DATABASE_URL', 'mysql://u:p@db/mql', 'DATABASE_URL: must be a postgres:// URL'],
    ['PORT', 'eighty', 'PORT: must be a port number'],
    ['SLACK_API_URL', 'not a url', 'SLACK_API_URL: must be a URL like https://slack.com/api/'],
  ])('%s=%j', (name, value, line) => {
    expect(problems({ ...BASE, [name]: value })).toEqual([line]);
  });

  it.each(['70000', '-1', '80.5'])('PORT=%j is refused', (port) => {
    const lines = problems({ ...BASE, PORT: port });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^PORT: /);
  });

  it('reads SLACK_POST_FIELDS as a comma list (an attribute key may hold spaces) and refuses more than 10', () => {
    expect(loadConfig(BASE).slack.postFields).toEqual(['email', 'phone', 'company_size', 'country', 'crm_url']);
    expect(loadConfig({ ...BASE, SLACK_POST_FIELDS: ' phone , Company size,, crm url ' }).slack.postFields).toEqual([
      'phone',
      'Company size',
      'crm url',
    ]);
    expect(problems({ ...BASE, SLACK_POST_FIELDS: 'a,b,c,d,e,f,g,h,i,j,k' })).toEqual([
      'SLACK_POST_FIELDS: lists 11 fields; the post shows at most 10',
    ]);
    expect(loadConfig({ ...BASE, MERGE_PLUS_ADDRESSES: 'yes' }).people.mergePlusAddresses).toBe(true);
    expect(loadConfig(BASE).people.mergePlusAddresses).toBe(false);
  });

  it('names each missing required variable', () => {
    expect(problems({})).toEqual([
      'SLACK_BOT_TOKEN: is required (the bot token, xoxb-…)',
      "SLACK_SIGNING_SECRET: is required (the app's signing secret)",
      'SLACK_SALES_CHANNEL: is required (the channel id MQLs are posted to, C…)',
      'LEAD_API_TOKEN: is required (the Bearer token /api/* callers send)',
    ]);
  });

  it('reports an empty LEAD_API_TOKEN once, as missing', () => {
    expect(problems({ ...BASE, LEAD_API_TOKEN: '  ' })).toEqual(['LEAD_API_TOKEN: is required (the Bearer token /api/* callers send)']);
  });

  it('refuses placeholders and names where Slack ids and tokens belong, one line per value', () => {
    expect(
      problems({
        ...BASE,
        SLACK_BOT_TOKEN: 'xoxb-',
        SLACK_SALES_CHANNEL: 'C',
        SLACK_DIGEST_CHANNEL: '#sales-digest',
        SLACK_APP_TOKEN: 'xapp-',
      }),
    ).toEqual([
      "SLACK_BOT_TOKEN: must be the app's bot token: xoxb- followed by the rest of it (OAuth & Permissions → Bot User OAuth Token)",
      'SLACK_APP_TOKEN: must be an app-level token: xapp- followed by the rest of it',
      "SLACK_SALES_CHANNEL: must be a channel id like C0123456789 (in Slack: the channel's details, at the bottom), not its name",
      "SLACK_DIGEST_CHANNEL: must be a channel id like C0123456789 (in Slack: the channel's details, at the bottom), not its name",
    ]);
    expect(problems({ ...BASE, SLACK_SALES_CHANNEL: 'sales' })).toHaveLength(1);
  });

  it('treats a blank required value as missing', () => {
    expect(problems({ ...BASE, SLACK_SALES_CHANNEL: '   ' })).toEqual([
      'SLACK_SALES_CHANNEL: is required (the channel id MQLs are posted to, C…)',
    ]);
  });

  it('reports all problems at once, one line each', () => {
    const lines = problems({
      ...BASE,
      CLAIM_SLA: 'soon',
      DECISION_SLA: 'later',
      DIGEST_CRON: 'daily',
      TZ_DIGEST: 'Nowhere/City',
      BUSINESS_HOURS: 'always',
      MQL_MANAGERS: 'boss',
      DATABASE_URL: 'sqlite://x',
      LEAD_API_TOKEN: 'tiny',
    });
    const names = lines.map((l) => l.split(':')[0]).sort();
    expect(names).toEqual(
      ['BUSINESS_HOURS', 'CLAIM_SLA', 'DATABASE_URL', 'DECISION_SLA', 'DIGEST_CRON', 'LEAD_API_TOKEN', 'MQL_MANAGERS', 'TZ_DIGEST'].sort(),
    );
  });

  // An empty PORT (`PORT=` in a .env file) must not coerce to 0, a random port.
  it('an empty PORT means the default 3000 or is reported, never port 0', () => {
    let port: number;
    try {
      port = loadConfig({ ...BASE, PORT: '' }).port;
    } catch (error) {
      expect(String(error)).toMatch(/PORT: /);
      return;
    }
    expect(port).toBe(3000);
  });
});
