import { defineConfig } from 'vitest/config';
import { reporters } from '../scripts/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    reporters: reporters('deploy'),
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
