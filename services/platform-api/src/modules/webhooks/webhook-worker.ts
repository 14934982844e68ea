import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Webhook as Signer } from 'standardwebhooks';
import { Clock } from '../../common/clock';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DeliveriesRepository, type AttemptOutcome, type QueuedDelivery } from './deliveries.repository';
import { nextAttemptAt } from './webhook-retries';
import { sendOnce, type AttemptResult } from './webhook-sender';
import { RefusedTarget, WebhookTargets } from './webhook-target';
import { WebhooksRepository } from './webhooks.repository';

/**
 * How long a process may hold a delivery before another may take it: well above the longest
 * attempt (WEBHOOKS_TIMEOUT_MS plus the lookups), so only a process that died loses it.
 */
const LEASE_MS = 60_000;
/** Deliveries one poll attempts at most, one after the other; the rest wait for the next poll. */
const PER_POLL = 50;

/**
 * Sends queued deliveries. Every API process runs one: every WEBHOOKS_POLL_MS it takes the
 * lease of each due delivery in turn (one conditional update, so each attempt is made by one
 * process only), checks the endpoint's address again, signs, sends, and records the outcome:
 * delivered on 2xx, else due again after the next wait of the retry schedule, or failed once
 * it is spent.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookWorker.name);
  /** This process's name on the leases it takes. */
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly deliveries: DeliveriesRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly targets: WebhookTargets,
  ) {}

  onApplicationBootstrap(): void {
    const { pollMs } = this.config.webhooks;
    if (pollMs > 0) {
      this.timer = setInterval(() => void this.drain().catch((error: unknown) => this.logger.warn(`Webhook deliveries could not be read: ${error instanceof Error ? error.message : String(error)}`)), pollMs);
      this.timer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    // An attempt under way ends (bounded by its timeout) before the connection closes.
    await this.running?.catch(() => undefined);
  }

  /** Attempts every due delivery (up to PER_POLL); how many it attempted. One run at a time per process. */
  drain(): Promise<number> {
    this.running ??= this.drainNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainNow(): Promise<number> {
    let attempted = 0;
    while (!this.stopped && attempted < PER_POLL) {
      const now = this.clock.now();
      const claimed = await this.deliveries.claim(this.owner, new Date(now), new Date(now + LEASE_MS));
      if (!claimed) break;
      await this.attemptClaimed(claimed);
      attempted++;
    }
    return attempted;
  }

  /**
   * Attempts one delivery now, if it is due and no process holds it; the delivery after the
   * attempt, or null when it was not this process's to attempt.
   */
  async attempt(id: string): Promise<QueuedDelivery | null> {
    const now = this.clock.now();
    const claimed = await this.deliveries.claim(this.owner, new Date(now), new Date(now + LEASE_MS), id);
    return claimed ? this.attemptClaimed(claimed) : null;
  }

  private async attemptClaimed(delivery: QueuedDelivery): Promise<QueuedDelivery | null> {
    const result = await this.send(delivery);
    const attemptedAt = this.clock.now();
    const attempts = delivery.attempts + 1;
    let outcome: AttemptOutcome;
    if (result.delivered) outcome = { status: 'delivered', attemptedAt: new Date(attemptedAt), nextAttemptAt: null, lastError: null };
    else {
      const next = 'final' in result ? null : nextAttemptAt(attempts, attemptedAt);
      outcome = { status: next === null ? 'failed' : 'pending', attemptedAt: new Date(attemptedAt), nextAttemptAt: next === null ? null : new Date(next), lastError: result.error };
    }
    return this.deliveries.finish(delivery.id, this.owner, outcome);
  }

  /** One attempt; `final` when no later attempt could succeed (the endpoint is gone or disabled). */
  private async send(delivery: QueuedDelivery): Promise<AttemptResult | { delivered: false; error: string; final: true }> {
    const endpoint = await this.webhooks.signingEndpoint(delivery.webhookId);
    if (!endpoint) return { delivered: false, error: 'endpoint deleted', final: true };
    if (!endpoint.enabled) return { delivered: false, error: 'endpoint disabled', final: true };
    let target;
    try {
      target = await this.targets.check(endpoint.url);
    } catch (error) {
      if (error instanceof RefusedTarget) return { delivered: false, error: `refused: ${error.reason}` };
      throw error;
    }
    const timestamp = new Date(this.clock.now());
    const headers = {
      'webhook-id': delivery.messageId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Signer(endpoint.secret).sign(delivery.messageId, timestamp, delivery.payload),
    };
    return sendOnce(target, headers, delivery.payload, this.config.webhooks.timeoutMs);
  }
}
