import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { PartnerDirectoryModule } from '../partner-directory/partner-directory.module';
import { TenantsModule } from '../tenants/tenants.module';
import { FLAG_SEEDS } from './flag-seeds';
import { Flag, FlagSchema } from './flag.schema';
import { FlagSchedule, FlagScheduleSchema } from './flag-schedule.schema';
import { FlagSchedulesController } from './flag-schedules.controller';
import { FlagSchedulesRepository } from './flag-schedules.repository';
import { FlagSchedulesService } from './flag-schedules.service';
import { FlagScheduler } from './flag-scheduler';
import { ChangeRequest, ChangeRequestSchema } from './change-request.schema';
import { ChangeRequestsController } from './change-requests.controller';
import { ChangeRequestsRepository } from './change-requests.repository';
import { ChangeRequestsService } from './change-requests.service';
import { FlagEvaluationController } from './flag-evaluation.controller';
import { FlagsController } from './flags.controller';
import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';
import { FlagsSnapshot } from './flags-snapshot';
import { EventStreamHub } from './event-streams';
import { EvaluationAnswers } from './evaluation-answers';
import { EvaluationCounter } from './evaluation-counter';
import { ServingLane } from './serving-lane';
import { OfrepEventsController } from './ofrep-events.controller';
import { OfrepController } from './ofrep.controller';
import { TenantFlagsController } from './tenant-flags.controller';
import { UsersModule } from '../users/users.module';
import { WriteRecorder } from '../writes/write-recorder';

@Module({
  imports: [MongooseModule.forFeature([
      { name: Flag.name, schema: FlagSchema },
      { name: FlagSchedule.name, schema: FlagScheduleSchema },
      { name: ChangeRequest.name, schema: ChangeRequestSchema },
    ]), TenantsModule, PartnerDirectoryModule, MembershipsModule, UsersModule],
  // The evaluation controller comes first so POST /flags/evaluate is never read as a flag key.
  controllers: [FlagEvaluationController, FlagsController, FlagSchedulesController, ChangeRequestsController, OfrepController, OfrepEventsController, TenantFlagsController],
  providers: [
    FlagsRepository,
    FlagsService,
    FlagSchedulesRepository,
    FlagSchedulesService,
    FlagScheduler,
    ChangeRequestsRepository,
    ChangeRequestsService,
    FlagsSnapshot,
    EventStreamHub,
    EvaluationAnswers,
    EvaluationCounter,
    ServingLane,
  ],
  exports: [FlagsService, FlagsRepository, FlagSchedulesRepository, FlagsSnapshot, EvaluationCounter, EventStreamHub, ServingLane],
})
export class FlagsModule implements OnApplicationBootstrap {
  constructor(
    private readonly flags: FlagsRepository,
    private readonly writes: WriteRecorder,
  ) {}

  /**
   * Idempotent: inserts missing seed flags only, so operators' edits survive restarts, and tags
   * flags stored without an entity tag before anything is served.
   */
  async onApplicationBootstrap(): Promise<void> {
    const seeded = (await this.flags.seed(FLAG_SEEDS)) > 0 ? FLAG_SEEDS.map((s) => s.key) : [];
    const tagged = await this.flags.tagUntagged();
    const changed = [...new Set([...seeded, ...tagged])];
    if (changed.length) await this.writes.recordChanges(changed.map((key) => ({ kind: 'flag' as const, ref: key })));
  }
}
