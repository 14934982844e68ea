import { defineConfig } from 'vitest/config';
import { reporters } from '../../scripts/vitest-reporters.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts', 'src/**/*.spec.ts'],
    environment: 'node',
    reporters: reporters('flags-core'),
    // The property tests hash hundreds of thousands of buckets; a busy CI machine must not time them out.
    testTimeout: 30_000,
  },
});
