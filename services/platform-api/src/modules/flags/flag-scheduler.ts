import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseState } from '../../common/mongo/database-state';
import { FlagSchedulesService } from './flag-schedules.service';

/**
 * Applies the due steps of planned ramps every FLAG_SCHEDULE_TICK_MS in each process; which
 * process applies a step is settled by its claim (FlagSchedulesService), so every step applies
 * once however many processes tick. Ticks of one process never overlap.
 */
@Injectable()
export class FlagScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FlagScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private last: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    private readonly schedules: FlagSchedulesService,
    private readonly database: DatabaseState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.flagScheduleTickMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.flagScheduleTickMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.last;
  }

  /**
   * One look for due steps. A tick while one is in progress is skipped (ticks never queue up
   * behind a slow database), and none looks while MongoDB is known to be down. Never rejects.
   */
  tick(): Promise<void> {
    if (this.running) return this.last;
    if (!this.database.available) return Promise.resolve();
    this.running = true;
    this.last = this.schedules
      .runDue()
      .catch((error: unknown) => {
        this.logger.warn(`Planned flag steps could not be looked for: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running = false;
      });
    return this.last;
  }
}
