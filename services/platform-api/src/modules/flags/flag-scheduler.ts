import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
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

  constructor(
    private readonly schedules: FlagSchedulesService,
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

  /** One look for due steps, after the one in progress (if any). Never rejects. */
  tick(): Promise<void> {
    this.last = this.last.then(() =>
      this.schedules.runDue().catch((error: unknown) => {
        this.logger.warn(`Planned flag steps could not be looked for: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
    return this.last;
  }
}
