// The API's V8 inspector, driven from the benchmark: the API runs with --inspect=127.0.0.1:0
// and this process speaks the Chrome DevTools protocol to it over its WebSocket (CPU profiles
// of exactly the load windows, forced garbage collections, reading the API's own figures). The
// API has no endpoint for any of this and needs none.

/**
 * @typedef {object} Inspector
 * @property {(method: string, params?: object) => Promise<any>} post one protocol command, its result
 * @property {(expression: string) => Promise<any>} evaluate evaluates in the API's main context, the value (by JSON)
 * @property {() => void} close
 */

/**
 * The inspector's address as the API prints it at start ("Debugger listening on ws://...").
 * @param {string} output
 */
export function inspectorUrlIn(output) {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
}

/**
 * @param {string} url ws://127.0.0.1:<port>/<id>
 * @returns {Promise<Inspector>}
 */
export async function connectInspector(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`inspector: could not connect to ${url}`)), { once: true });
  });
  let nextId = 1;
  /** @type {Map<number, { method: string, resolve: (v: any) => void, reject: (e: Error) => void }>} */
  const pending = new Map();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data));
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return; // an event
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`inspector ${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error(`inspector ${p.method}: the connection closed`));
    pending.clear();
  });
  /** @type {Inspector['post']} */
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { method, resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    post,
    evaluate: async (expression) => {
      const { result, exceptionDetails } = await post('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(`inspector: ${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    close: () => ws.close(),
  };
}
