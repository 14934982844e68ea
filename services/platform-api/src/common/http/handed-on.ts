import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { preParsingHookHandler } from 'fastify';

/**
 * A request the serving lane began to answer in front of Fastify and then left to it (see
 * ServingLane): the lane has read its body already, and may have charged its budgets.
 */
export interface HandedOn {
  body: Buffer;
  /** Charged to its client address's budget: the address hook must not charge it again. */
  addressCharged: boolean;
  /** Charged to its subject's budget: the guard must not charge it again. */
  subjectCharged: boolean;
}

const HANDED_ON = Symbol('dezky.handedOn');

type Marked = IncomingMessage & { [HANDED_ON]?: HandedOn };

export function handOn(req: IncomingMessage, handed: HandedOn): void {
  (req as Marked)[HANDED_ON] = handed;
}

export function handedOn(req: IncomingMessage): HandedOn | undefined {
  return (req as Marked)[HANDED_ON];
}

/**
 * A Fastify `preParsing` hook: the body of a handed-on request comes from what the lane read,
 * byte for byte, so Fastify parses and limits it as any other.
 */
export function replayHandedOnBody(): preParsingHookHandler {
  return function replayBody(request, _reply, payload, done): void {
    const handed = handedOn(request.raw);
    if (!handed) {
      done(null, payload);
      return;
    }
    const replay = new PassThrough();
    replay.end(handed.body);
    done(null, replay);
  };
}
