import { defineConfig } from 'vitest/config';
import { reporters } from '../../scripts/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    reporters: reporters('dev-idp'),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
