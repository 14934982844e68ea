import { defineConfig } from 'vitest/config';
import { reporters } from '../../scripts/vitest-reporters.mjs';

// Unit tests of the app's plain modules (app/utils: no Nuxt runtime); the app as a whole is tested
// in the browser through e2e/.
export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    reporters: reporters('operator'),
  },
});
