import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'components/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most of these tests wait on real daemons, timers and the network rather than compute:
    // two files at a time, even on two cores (Vitest's default there is one).
    maxWorkers: 2,
    globalSetup: ['server/testing/global-setup.ts', 'server/testing/postgres-global-setup.ts'],
  },
});
