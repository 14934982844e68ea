import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ServiceUnavailableError } from '../errors/domain-errors';

interface LockDocument {
  _id: string;
  owner: string | null;
  until: Date;
}

/** How long a holder may keep a lock before others may take it (a crashed holder's lease). */
const LEASE_MS = 10_000;
/** How long a caller waits for a busy lock before giving up with 503. */
const WAIT_MS = 5_000;

/**
 * Named mutual exclusion across every API process, in MongoDB, without transactions (the
 * development server has none). A lock is one document in `locks`: taking it is a single
 * conditional upsert that matches only a free or expired lock, so when it is held the upsert
 * collides with the existing `_id` (E11000) and the caller waits and tries again. A holder
 * that dies keeps it for at most LEASE_MS.
 *
 * For check-then-write rules that span documents ("never revoke the last administrator"),
 * where one conditional update on one document cannot express the rule.
 */
@Injectable()
export class LeaseLocks {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    await this.acquire(name, owner);
    try {
      return await work();
    } finally {
      await this.locks().updateOne({ _id: name, owner }, { $set: { owner: null } });
    }
  }

  private async acquire(name: string, owner: string): Promise<void> {
    const giveUpAt = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      try {
        await this.locks().updateOne(
          { _id: name, $or: [{ owner: null }, { until: { $lt: now } }] },
          { $set: { owner, until: new Date(now.getTime() + LEASE_MS) } },
          { upsert: true },
        );
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      if (Date.now() >= giveUpAt) throw new ServiceUnavailableError('Another change of the same kind is in progress; try again shortly');
      // Jittered back-off, growing to ~50 ms, so waiting callers do not retry in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random())));
    }
  }

  private locks() {
    return this.connection.collection<LockDocument>('locks');
  }
}
