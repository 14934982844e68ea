// The bytes of an HTTP/1.1 request as autocannon writes them (its httpRequestBuilder: request
// line, Host, Connection: keep-alive, the headers in order, Content-Length last), built here so
// the load worker can make each connection's next request when it is sent, instead of
// autocannon building every request of every connection before the first one is answered.
// The unit tests check the bytes against autocannon's own builder.

/**
 * The part shared by every request of a load: request line, Host, Connection and the common
 * headers, each line ending in CRLF.
 * @param {{ method: string, path: string, host: string, headers: Readonly<Record<string, string>> }} o
 * @returns {string}
 */
export function requestHead({ method, path, host, headers }) {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`;
  for (const [key, value] of Object.entries(headers)) head += `${key}: ${value}\r\n`;
  return head;
}

/**
 * One request: the head, the request's own headers (which must not repeat a common one), and
 * the body with its Content-Length (none for an empty body).
 * @param {string} head from requestHead
 * @param {string | undefined} body
 * @param {Readonly<Record<string, string>>} [extraHeaders]
 * @returns {Buffer}
 */
export function requestBytes(head, body, extraHeaders) {
  let text = head;
  if (extraHeaders) for (const [key, value] of Object.entries(extraHeaders)) text += `${key}: ${value}\r\n`;
  if (body) text += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  else text += '\r\n';
  return Buffer.from(text, 'utf8');
}
