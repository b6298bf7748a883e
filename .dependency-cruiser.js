/**
 * The import rules of docs/architecture.md, checked by dependency-cruiser
 * (`npm run lint:imports`; CI runs it). Paths are relative to the repository root.
 * tests/unit/importRules.test.ts breaks each rule on purpose and expects this file to catch it.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Modules that talk to the outside world: a renderer imports none of them. */
const IO_MODULES = [
  // Node's own modules resolve to their bare name ("fs" for node:fs too).
  '^(node:)?(http|https|http2|net|tls|dgram|dns|fs|fs/promises|child_process|worker_threads)$',
  // Packages resolve to a file in node_modules; the rule matches that path.
  'node_modules/@slack/(bolt|web-api|socket-mode)/',
  'node_modules/(kysely|pg|better-sqlite3|undici|winston)/',
];

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'incidents/ is the domain: it knows nothing of Slack, the store engine, the flows, the listeners or the composition. ' +
        'Storage is reached through the interfaces in incidents/ports.ts.',
      from: { path: '^incidents/' },
      to: {
        path: [
          '^(store|slack|flows|listeners|server|sandbox|webhooks|scripts|bench)/',
          '^app\\.ts$',
          'node_modules/@slack/',
          'node_modules/(kysely|pg|better-sqlite3)/',
        ],
      },
    },
    {
      name: 'renderers-do-no-io',
      severity: 'error',
      comment:
        'slack/blocks/ holds pure functions from data to Block Kit: no gateway, no store, no HTTP or files. ' +
        'Whatever a renderer needs (the time, a profile, a link) is passed in.',
      from: { path: '^slack/blocks/' },
      to: {
        path: ['^(store|server|flows|listeners|sandbox|webhooks)/', '^slack/(gateway|userDirectory|errors)\\.ts$', ...IO_MODULES],
      },
    },
    {
      name: 'listeners-use-flows',
      severity: 'error',
      comment:
        'listeners/ parse a payload, call one flow and answer. They never reach the store or the Slack gateway ' +
        '(side effects happen in flows/), nor the composition in server/.',
      from: { path: '^listeners/' },
      to: { path: ['^store/', '^server/', '^slack/(gateway|userDirectory)\\.ts$', 'node_modules/@slack/web-api/'] },
    },
    {
      name: 'flows-below-listeners',
      severity: 'error',
      comment:
        'flows/ coordinate the domain and Slack through the domain services and the gateway: they do not know the ' +
        'listeners that call them, the composition, or the store behind the domain.',
      from: { path: '^flows/' },
      to: { path: ['^(listeners|server|store)/', 'node_modules/@slack/(bolt|web-api)/'] },
    },
    {
      name: 'sandbox-runs-the-app-unchanged',
      severity: 'error',
      comment:
        'sandbox/ starts the real app the way app.ts does, through server/startDispatch and the settings loader in config/, ' +
        'and talks to it only over HTTP as Slack does; it reaches no other part of the app.',
      from: { path: '^sandbox/' },
      to: {
        path: '^(server|listeners|flows|incidents|store|slack|oncall|webhooks|logging|config)/',
        pathNot: '^(server/startDispatch|config/index)\\.ts$',
      },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Data flows one way (listener -> flow -> domain -> store); two modules that import each other have no order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.bench-build|coverage|data|tests/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
