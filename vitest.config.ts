import { defineConfig } from 'vitest/config';

// Three projects, run one after the other (sequence.groupOrder; vitest requires distinct group
// orders for projects with different maxWorkers):
//  - unit: pure tests, no engine, fully parallel (one worker per core);
//  - e2e: tests against the real engine, set up once by the global setup (scripts/setup.sh),
//    at most 2 test files at once: the engine nearly serialises container starts, and these
//    machines have 2 cores;
//  - disruptive: tests that disturb the whole engine (restarting dockerd), one file at a time
//    and only once every e2e file has finished; the same global setup lets it run alone.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/e2e-disruptive/**', 'node_modules/**'],
          maxWorkers: '100%',
          // CLI tests spawn node; on a busy 2-core machine 5 s is too tight for them.
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'disruptive',
          include: ['test/e2e-disruptive/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
