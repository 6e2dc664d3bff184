/**
 * The layers, enforced (npm run lint; .ci/run). The picture is in docs/design.md, "Layers".
 * Paths are the files' own, resolved like TypeScript resolves them (NodeNext: `.js` imports name `.ts` files).
 */
const NODE_IO =
  '^(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)$|^node:(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)';
const DRIVERS = 'node_modules/(postgres|@electric-sql|@slack|pino|node-cron|prom-client|drizzle-orm)/';

module.exports = {
  forbidden: [
    {
      name: 'db-is-the-bottom-layer',
      comment: 'db/ holds the schema and queries; it imports nothing from the features or the command layer.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(src|commands)/' },
    },
    {
      name: 'pure-logic-does-no-io',
      comment:
        'Scoring and the SLA clock are pure functions: no database, no Slack, no network, no files. Services in src/scoring/ are the exception: they are where criteria meet the database.',
      severity: 'error',
      from: { path: '^src/scoring/|^src/sla/clock\\.ts$', pathNot: '^src/scoring/[^/]*service[^/]*\\.ts$' },
      // The row and value types in db/types.ts are shapes, not I/O.
      to: { path: `^db/|${DRIVERS}|${NODE_IO}`, pathNot: '^db/types\\.ts$' },
    },
    {
      name: 'outbox-knows-no-features',
      comment: 'The outbox sends what features queue; features register their senders with it, never the reverse.',
      severity: 'error',
      from: { path: '^src/outbox/' },
      to: { path: '^src/(handoff|sla|leads|scoring)/' },
    },
    {
      name: 'nothing-imports-tests',
      comment: 'Product code never depends on test helpers.',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'sandbox-stays-aside',
      comment: 'Only the entry point knows the sandbox (a stand-in for Slack); the app itself does not.',
      severity: 'error',
      from: { path: '^(src|db|commands)/', pathNot: '^src/(server\\.ts|sandbox/)' },
      to: { path: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
