// The import graph's shape, checked by `npm test` (issue 22): no file may reach itself
// through its imports, and the app never imports the benchmark. The layer rules (which
// folder may import which) stay in eslint.config.js, where tests/unit/layering.test.ts
// proves each one fires; this file holds what a per-file lint rule cannot see.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A circle of imports ties its files into one: none can be read, tested or loaded ' +
        'without the others, and load order decides what is undefined. Break it by moving ' +
        'the shared piece down a layer or passing it in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'app-not-bench',
      severity: 'error',
      comment: 'The shipped app does not depend on the benchmark: bench/ imports src-main.',
      from: { path: '^src-(main|server|renderer)/' },
      to: { path: '^bench/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
