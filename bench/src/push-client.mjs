// Child process of the push benchmark: holds many event-stream connections to the API and
// reports when each one received the next refetchEvaluation event. Driven over IPC:
//   { type: 'open', urls, perUrl }  -> { type: 'opened', count, failed, ms }
//   { type: 'arm' }                 -> every connection waits for its next event; once all have
//                                      one (or 10 s passed): { type: 'arrivals', times, missing }
//   { type: 'close' }               -> { type: 'closed' }
// Times are absolute (performance.timeOrigin + now()), comparable with the parent's.
import http from 'node:http';
import { installNetGuard } from './net-guard.mjs';

installNetGuard();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
/** @type {{ req: http.ClientRequest, armed: boolean, arrival: number }[]} */
const connections = [];
let armedCount = 0;
/** @type {NodeJS.Timeout | undefined} */
let armTimer;
const now = () => performance.timeOrigin + performance.now();
const send = (/** @type {object} */ m) => process.send?.(m);

function finishArm() {
  if (armTimer) clearTimeout(armTimer);
  armTimer = undefined;
  const times = connections.filter((c) => !c.armed).map((c) => c.arrival);
  const missing = connections.filter((c) => c.armed).length;
  for (const c of connections) c.armed = false;
  armedCount = 0;
  send({ type: 'arrivals', times, missing });
}

/** @param {string} url */
function openOne(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(false);
        return;
      }
      const connection = { req, armed: false, arrival: 0 };
      connections.push(connection);
      res.setEncoding('utf8');
      res.on('data', (/** @type {string} */ chunk) => {
        if (connection.armed && chunk.includes('refetchEvaluation')) {
          connection.arrival = now();
          connection.armed = false;
          if (--armedCount === 0) finishArm();
        }
      });
      res.on('error', () => undefined);
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });
}

process.on('message', async (/** @type {any} */ m) => {
  if (m.type === 'open') {
    const started = now();
    let failed = 0;
    const targets = m.urls.flatMap((/** @type {string} */ u) => Array.from({ length: m.perUrl }, () => u));
    for (let i = 0; i < targets.length; i += 250) {
      const results = await Promise.all(targets.slice(i, i + 250).map(openOne));
      failed += results.filter((ok) => !ok).length;
    }
    send({ type: 'opened', count: connections.length, failed, ms: now() - started });
  } else if (m.type === 'arm') {
    for (const c of connections) c.armed = true;
    armedCount = connections.length;
    armTimer = setTimeout(finishArm, 10_000);
    send({ type: 'armed' });
  } else if (m.type === 'close') {
    for (const c of connections) c.req.destroy();
    connections.length = 0;
    send({ type: 'closed' });
  }
});
send({ type: 'ready' });
