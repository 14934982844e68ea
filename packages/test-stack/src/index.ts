// The platform's processes for the integration tests, the browser tests, the benchmarks and
// scripts/dev.sh: the MongoDB-wire server, the dev IdP, the API and a DNS server for domain
// verification, each ready when started, all stopped by stopAll() and when this process exits or
// is interrupted.
export { API_NODE_ARGS, startApi, type Api, type ApiOptions } from './api.js';
export { CHROMIUM_ARGS, chromiumExecutable, chromiumLaunchOptions } from './chromium.js';
export { dnsZoneFile, startDnsServer, type DnsAnswer, type DnsServer, type DnsServerOptions, type DnsZone } from './dns.js';
export { baseEnv } from './env.js';
export { accessTokens, issuerEnv, signIn, startIdp, type AccessTokenSource, type IdpIssuers } from './idp.js';
export { startMongoWire, type MongoWire, type MongoWireOptions } from './mongo-wire.js';
export { API_MAIN, MONGO_WIRE_DIR, ROOT } from './paths.js';
export { freePort } from './ports.js';
export { startProcess, stopAll, waitUntilReady, type ProcessOptions, type Readiness, type StackProcess } from './processes.js';
export { announceBulkLoad, insertTenants, type SeedDatabase, type TenantSeed } from './seed.js';
