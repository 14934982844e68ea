/**
 * Types and constants shared by the API and the apps. Plain TypeScript only: no decorators,
 * no runtime dependencies, so both the Nest service and the Nuxt apps can import it.
 */
export * from './health.js';
export * from './plans.js';
export * from './environments.js';
export * from './tenancy.js';
export * from './flags.js';
export * from './flag-schedules.js';
export * from './pages.js';
export * from './rules.js';
export * from './me.js';
export * from './webhooks.js';
export * from './sample-secrets.js';
export * from './metrics.js';
