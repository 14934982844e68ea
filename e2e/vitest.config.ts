import { defineConfig } from 'vitest/config';
import { reporters } from '../scripts/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.e2e.ts'],
    globalSetup: ['src/global-setup.ts'],
    reporters: reporters('e2e'),
    // One stack and one browser: the files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
