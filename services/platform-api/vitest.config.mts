import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { reporters } from '../../scripts/vitest-reporters.mjs';

// SWC compiles the Nest decorators with their metadata, which esbuild cannot emit.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  test: {
    globals: true,
    reporters: reporters('platform-api'),
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          globals: true,
          include: ['src/**/*.spec.ts', 'test/unit/**/*.spec.ts'],
        },
      },
      {
        plugins,
        test: {
          name: 'integration',
          globals: true,
          include: ['test/integration/**/*.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores: files run in parallel against one server, each in its own database.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        plugins,
        test: {
          // Services and their rules against the MongoDB-wire server, without HTTP (pnpm test:service).
          name: 'service',
          globals: true,
          include: ['test/service/**/*.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 10_000,
          hookTimeout: 30_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        plugins,
        test: {
          // Schemathesis over the OpenAPI document against the built API (pnpm test:fuzz).
          name: 'fuzz',
          globals: true,
          include: ['test/fuzz/**/*.fuzz.ts'],
          // After the other projects when they run together.
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
