import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    // The store's run-time write guard is on in every test (and in the processes they
    // start); the shipped app leaves it off (src-main/store/store.ts › writeGuardByDefault).
    env: { LEADBOOK_WRITE_GUARD: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
