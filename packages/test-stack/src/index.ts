// The platform's processes for the integration tests, the browser tests, the benchmarks and
// scripts/dev.sh: the MongoDB-wire server, the dev IdP and the API, each ready when started,
// all stopped by stopAll() and when this process exits or is interrupted.
export { startApi, type Api, type ApiOptions } from './api.js';
export { baseEnv } from './env.js';
export { issuerEnv, signIn, startIdp } from './idp.js';
export { startMongoWire, type MongoWire, type MongoWireOptions } from './mongo-wire.js';
export { API_MAIN, MONGO_WIRE_DIR, ROOT } from './paths.js';
export { freePort } from './ports.js';
export { startProcess, stopAll, waitUntilReady, type ProcessOptions, type Readiness, type StackProcess } from './processes.js';
export { announceBulkLoad, insertTenants, type SeedDatabase, type TenantSeed } from './seed.js';
