const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** True for errors that mean "MongoDB cannot be reached right now", as opposed to a bad operation. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE.has(error.name)) return true;
  // Mongoose's own buffering gives up with a plain MongooseError while disconnected.
  return error.name === 'MongooseError' && /buffering timed out|before initial connection|Client must be connected/i.test(error.message);
}
