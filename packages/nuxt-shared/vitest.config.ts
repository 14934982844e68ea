import { defineConfig } from 'vitest/config';
import { reporters } from '../../scripts/vitest-reporters.mjs';

// Unit tests of the layer's plain modules (no Nuxt runtime); the layer as a whole is tested
// through the apps in e2e/.
export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    environment: 'node',
    reporters: reporters('nuxt-shared'),
  },
});
