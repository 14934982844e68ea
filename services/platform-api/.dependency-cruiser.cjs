/**
 * Import rules of the API between files, checked by `pnpm lint` (depcruise src); the rule between
 * folders is in .dependency-cruiser-folders.cjs. See ARCHITECTURE.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'No import cycle anywhere in src. Nest modules import each other through their *.module.ts files, so a cycle between modules is one too: no forwardRef.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-feature-service',
      comment:
        "A feature's code reads another feature through that feature's read model (PartnerDirectory, TenantDirectory, ...), never through its service. " +
        'The building blocks every write goes through are shared: the audit log, the change feed, memberships, subscriptions, provisioning, and the caller of a request (its verified token and actor).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.(controller|module)\\.ts$' },
      to: {
        path: '^src/modules/[^/]+/.+\\.service\\.ts$',
        pathNot: ['^src/modules/$1/', '^src/modules/(audit|changes|memberships|subscriptions|provisioning)/', '^src/modules/users/actor\\.service\\.ts$', '^src/modules/auth/token-verifier\\.service\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'writes-through-recorder',
      comment:
        'The audit log is written by WriteRecorder only (modules/writes), together with the change each write makes; the audit module itself reads it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/audit/', '^src/modules/writes/write-recorder\\.ts$'] },
      to: { path: '^src/modules/audit/audit\\.repository\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
