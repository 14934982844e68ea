// Preloaded into the platform API by the benchmarks (`node --import <this> dist/main.js`); the
// API itself is not changed. Installs the network guard (net-guard.mjs): a connection or DNS
// lookup to anything but loopback is refused. The benchmark reads what was attempted through
// the API's inspector (stack.mjs, `apiNetwork`), from the guard on globalThis.
import { installNetGuard } from './net-guard.mjs';

installNetGuard();
