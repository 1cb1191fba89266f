/** Import-direction rules of ARCHITECTURE.md, plus no cycles. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      comment: 'core imports only core',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/fast-check'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'adapters-do-not-import-daemon-api-ctl',
      severity: 'error',
      from: { path: '^src/(dcs|postgres|config|process|shared|watchdog)/' },
      to: { path: '^src/(daemon|api|ctl)/' },
    },
    {
      name: 'api-ctl-never-import-daemon',
      severity: 'error',
      from: { path: '^src/(api|ctl)/' },
      to: { path: '^src/daemon/' },
    },
    {
      name: 'shared-imports-only-shared',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.test\\.ts$' },
  },
};
