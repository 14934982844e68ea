import { Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { KeyParam } from '../flags/flag-params';
import { FlagUsageDto, FlagUsageListDto } from './dto/flag-usage.dto';
import { FlagUsageService } from './flag-usage.service';

@ApiTags('flags')
@OperatorOnly()
@Controller()
export class FlagUsageController {
  constructor(private readonly usage: FlagUsageService) {}

  @Get('flag-usage')
  @ApiOperation({
    summary: "Every flag's evaluations: the last one, per day for the last 14 days, and whether the flag is potentially stale",
    description:
      'Counted by every API process in memory and stored every FLAG_USAGE_FLUSH_MS (this process shows its own at once). ' +
      'A flag is potentially stale when unchanged for FLAG_STALE_DAYS in a final state (off, on, or a rollout at 100% with no scope), or not evaluated for that long; a kept flag never is.',
  })
  @ApiOkResponse({ type: FlagUsageListDto })
  @ApiServiceUnavailableResponse({ description: 'MongoDB cannot be reached' })
  list(): Promise<FlagUsageListDto> {
    return this.usage.list();
  }

  @Put('flags/:key/keep')
  @ApiOperation({ summary: 'Keep a flag: never report it potentially stale', description: 'Audited as flag.keep. Keeping a kept flag changes nothing.' })
  @ApiOkResponse({ type: FlagUsageDto })
  @ApiNotFoundResponse()
  @ApiServiceUnavailableResponse({ description: 'MongoDB cannot be reached' })
  keep(@Actor() actor: ActorType, @KeyParam() key: string): Promise<FlagUsageDto> {
    return this.usage.keep(actor, key);
  }

  @Delete('flags/:key/keep')
  @ApiOperation({ summary: 'Stop keeping a flag: it may be reported potentially stale again', description: 'Audited as flag.unkeep. A flag not kept is answered as it is.' })
  @ApiOkResponse({ type: FlagUsageDto })
  @ApiNotFoundResponse()
  @ApiServiceUnavailableResponse({ description: 'MongoDB cannot be reached' })
  unkeep(@Actor() actor: ActorType, @KeyParam() key: string): Promise<FlagUsageDto> {
    return this.usage.unkeep(actor, key);
  }
}
