import { Injectable, Logger } from '@nestjs/common';
import type { AuditResourceType } from '@dezky/contracts';
import type { Actor } from '../auth/actor';
import { AuditRepository } from '../audit/audit.repository';
import { ChangeFeed } from '../changes/change-feed.service';
import type { ChangeKind } from '../changes/change.schema';

/** One entry of the change log: what the read models re-read. */
export interface ChangeRef {
  kind: ChangeKind;
  ref: string;
}

/** A write an actor made, as the audit log keeps it. */
export interface AuditedWrite {
  actor: Actor;
  action: string;
  target: { type: AuditResourceType; id: string };
  before: unknown;
  after: unknown;
  /**
   * What the read models re-read. Omitted: the target itself when it is a kind they follow (see
   * FOLLOWED), so a write of a flag, tenant or user moves the change log without naming it.
   */
  changes?: readonly ChangeRef[];
}

/**
 * Told of every audited write once both logs hold it, in the process that made it (and so once
 * per write): what follows from a write without being part of it registers here (outgoing
 * webhooks queue their deliveries, a kill switch cancels the flag's planned steps). Awaited
 * before the write's response; a listener that fails is logged and never fails the write.
 */
export type WriteListener = (write: AuditedWrite) => Promise<void> | void;

/**
 * The change kind under which the read models follow each audited resource, or null for those
 * evaluation and authorization never read: a partner reaches evaluation only as the slug of its
 * tenants, which never changes; a subscription's plan is read from its tenant.
 */
export const FOLLOWED: Readonly<Record<AuditResourceType, ChangeKind | null>> = {
  flag: 'flag',
  tenant: 'tenant',
  user: 'user',
  partner: null,
  subscription: null,
  webhook: null,
};

/** The change log entries an audited write records: its own, or the target's by default. */
export function changesOf(write: Pick<AuditedWrite, 'target' | 'changes'>): readonly ChangeRef[] {
  if (write.changes) return write.changes;
  const kind = FOLLOWED[write.target.type];
  return kind ? [{ kind, ref: write.target.id }] : [];
}

/**
 * The one path of every write to what the API serves, after the write itself:
 *   1. the change log records what the write touched and this process's read models apply it
 *      (ChangeFeed.record), so the response, and every request after it, sees the write;
 *   2. the audit log records the actor, the action and the target before and after.
 * In that order: a failure between the two leaves a change nobody audited rather than an audited
 * change that evaluation never saw. Services call nothing else to record a write (ESLint and
 * dependency-cruiser refuse ChangeFeed.record and AuditRepository elsewhere).
 */
@Injectable()
export class WriteRecorder {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly audit: AuditRepository,
  ) {}

  private readonly logger = new Logger(WriteRecorder.name);
  private readonly listeners: WriteListener[] = [];

  async recordWrite(write: AuditedWrite): Promise<void> {
    await this.feed.record(changesOf(write));
    const { actor, action, target, before, after } = write;
    await this.audit.append({ actor: { userId: actor.userId, email: actor.email }, action, resource: target, before: before ?? null, after: after ?? null });
    for (const listener of this.listeners) {
      try {
        await listener(write);
      } catch (error) {
        this.logger.error(`A listener of ${action} on ${target.type} ${target.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Registers a listener of every audited write from now on (see WriteListener). */
  onWrite(listener: WriteListener): void {
    this.listeners.push(listener);
  }

  /**
   * Changes no audit entry of their own stands for: what a larger audited write brings about on
   * the way (the owner's membership of a tenant being created, audited as `tenant.create`), or
   * what the API writes by itself (the seed flags at boot).
   */
  recordChanges(changes: readonly ChangeRef[]): Promise<void> {
    return this.feed.record(changes);
  }
}
