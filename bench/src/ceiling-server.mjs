// The ceiling of the HTTP benchmark: a bare node:http server, a child process of its own as the
// API is, that does the least an HTTP JSON endpoint can do. For each request it reads the
// body, JSON.parses it, and answers a precomputed body as large as the API's answer on that
// route, with the same status and content-type; a request with If-None-Match gets a 304 (on
// a route that answers them). No routing library, no validation, no authentication, no logging.
// What the API does per request beyond this is its own cost; ours / ceiling says how much of
// the ceiling it reaches.
//
// Messages in:  { type: 'listen', routes: CeilingRoute[] }   { type: 'exit' }
// Messages out: { type: 'ready' }   { type: 'listening', port }   { type: 'error', message }
import http from 'node:http';
import { jsonBodyOfSize } from './http-summary.mjs';
import { installNetGuard } from './net-guard.mjs';

/**
 * @typedef {object} CeilingRoute
 * @property {string} path e.g. /flags/evaluate (the query string is ignored)
 * @property {number} status of a normal answer (200)
 * @property {string} contentType as the API answers it
 * @property {number} bytes size of the answer body
 * @property {boolean} [notModified] a request with If-None-Match gets a 304 with that ETag
 */

installNetGuard(); // it only listens; nothing may leave the machine all the same

/** @param {readonly CeilingRoute[]} routes */
function listen(routes) {
  /** @type {Map<string, { route: CeilingRoute, body: Buffer, headers: Record<string, string | number> }>} */
  const byPath = new Map();
  for (const route of routes) {
    const body = Buffer.from(jsonBodyOfSize(route.bytes));
    byPath.set(route.path, { route, body, headers: { 'content-type': route.contentType, 'content-length': body.length } });
  }
  const server = http.createServer((req, res) => {
    const q = req.url?.indexOf('?') ?? -1;
    const entry = byPath.get(q >= 0 ? (req.url ?? '').slice(0, q) : (req.url ?? ''));
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
    req.on('end', () => {
      if (!entry) {
        res.writeHead(404, { 'content-length': 0 }).end();
        return;
      }
      if (chunks.length > 0) {
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400, { 'content-length': 0 }).end();
          return;
        }
      }
      const inm = req.headers['if-none-match'];
      if (entry.route.notModified && typeof inm === 'string') {
        res.writeHead(304, { etag: inm }).end();
        return;
      }
      res.writeHead(entry.route.status, entry.headers).end(entry.body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
  server.on('error', (error) => process.send?.({ type: 'error', message: error.message }));
}

process.on('message', (/** @type {{ type: string, routes?: CeilingRoute[] }} */ msg) => {
  if (msg.type === 'exit') {
    process.exit(0);
  }
  if (msg.type === 'listen' && msg.routes) {
    try {
      listen(msg.routes);
    } catch (error) {
      process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
});
process.send?.({ type: 'ready' });
