/**
 * Import rule of the API between folders, checked by `pnpm lint` after .dependency-cruiser.cjs.
 * See ARCHITECTURE.md.
 *
 * src/modules/auth is left out of this graph: it resolves the caller through users (JwtAuthGuard
 * reads ActorService) while every feature's controllers use its decorators, so users -> auth ->
 * users (and audit and common with it) are cycles between folders, though not between files.
 * Every other folder is checked: a cycle that does not pass through auth fails the build.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment:
        'Folders form layers too: no cycle between src/modules/* (the features), src/common, src/config and src/demo, through whatever files.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/modules/auth/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
