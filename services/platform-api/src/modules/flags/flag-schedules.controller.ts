import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { FlagScheduleAnswerDto, FlagScheduleDraftDto, FlagSchedulePreviewDto } from './dto/flag-schedule.dto';
import { parseIfMatch } from './flag-etag';
import { IF_MATCH, KeyParam } from './flag-params';
import { FlagSchedulesService } from './flag-schedules.service';

const ANSWER = { type: FlagScheduleAnswerDto, description: 'The flag\'s plan, or { "schedule": null } when it has none' };

/** Planned ramps of a flag: steps of state and/or pct at given times, applied by the scheduler. */
@ApiTags('flags')
@OperatorOnly()
@Controller('flags')
export class FlagSchedulesController {
  constructor(private readonly schedules: FlagSchedulesService) {}

  @Get(':key/schedule')
  @ApiOperation({ summary: "The flag's planned ramp, or null when it has none", description: 'Done and cancelled plans are kept until replaced, with which steps were applied when.' })
  @ApiOkResponse(ANSWER)
  @ApiNotFoundResponse({ description: 'No such flag' })
  async get(@KeyParam() key: string): Promise<FlagScheduleAnswerDto> {
    return { schedule: await this.schedules.get(key) };
  }

  @Put(':key/schedule')
  @ApiOperation({
    summary: 'Plan a ramp: create or replace the flag\'s plan',
    description:
      "Saved against the flag's current version (with If-Match, only if the flag still has that ETag). Each step applies at its time as a change of the flag " +
      '(audited flag.schedule_step), only while the flag is still at the version the plan expects: a change by anyone else pauses the plan instead. ' +
      'A first step "now" is applied before the answer. Audited as flag.schedule_set.',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse(ANSWER)
  @ApiBadRequestResponse({ description: 'An invalid plan: a step in the past, out of order, beyond the horizon, changing nothing (named in the message)' })
  @ApiNotFoundResponse({ description: 'No such flag' })
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing was planned' })
  @ApiConflictResponse({ description: 'The flag is protected: its changes need approval, so no ramp can be planned on it' })
  async set(@Actor() actor: ActorType, @KeyParam() key: string, @Body() dto: FlagScheduleDraftDto, @Headers('if-match') ifMatch: string | undefined): Promise<FlagScheduleAnswerDto> {
    return { schedule: await this.schedules.set(actor, key, dto, parseIfMatch(ifMatch)) };
  }

  @Post(':key/schedule/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: "Preview a plan: every step's exact impact over today's tenants",
    description: 'Cumulative: each step against the one before it (the first against the flag now), with the evaluator that serves evaluations. Nothing is saved.',
  })
  @ApiOkResponse({ type: FlagSchedulePreviewDto })
  @ApiBadRequestResponse({ description: 'An invalid plan (named in the message)' })
  @ApiNotFoundResponse({ description: 'No such flag' })
  preview(@KeyParam() key: string, @Body() dto: FlagScheduleDraftDto): Promise<FlagSchedulePreviewDto> {
    return this.schedules.preview(key, dto);
  }

  @Delete(':key/schedule')
  @ApiOperation({ summary: "Cancel the flag's plan: none of its pending steps will apply", description: 'Audited as flag.schedule_delete; a plan with nothing pending (or none) is answered as it is.' })
  @ApiOkResponse(ANSWER)
  @ApiNotFoundResponse({ description: 'No such flag' })
  @ApiConflictResponse({ description: 'A step of the plan is being applied right now; try again in a moment' })
  async cancel(@Actor() actor: ActorType, @KeyParam() key: string): Promise<FlagScheduleAnswerDto> {
    return { schedule: await this.schedules.cancel(actor, key) };
  }

  @Post(':key/schedule/pause')
  @HttpCode(200)
  @ApiOperation({ summary: "Pause the flag's plan: nothing applies until it is resumed", description: 'Audited as flag.schedule_pause; a paused plan is answered as it is.' })
  @ApiOkResponse(ANSWER)
  @ApiNotFoundResponse({ description: 'No such flag' })
  @ApiConflictResponse({ description: 'The flag has no active plan' })
  async pause(@Actor() actor: ActorType, @KeyParam() key: string): Promise<FlagScheduleAnswerDto> {
    return { schedule: await this.schedules.pause(actor, key) };
  }

  @Post(':key/schedule/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: "Resume the flag's paused plan on the flag's current version",
    description:
      "Audited as flag.schedule_resume. The plan becomes the caller's: its remaining steps apply on their authority (a plan whose planner is no longer a platform administrator pauses until another resumes it). The next step applies at its time, at once if that has passed; an active plan is answered as it is.",
  })
  @ApiOkResponse(ANSWER)
  @ApiNotFoundResponse({ description: 'No such flag' })
  @ApiConflictResponse({ description: 'The flag has no paused plan, more than one of its pending steps is past, or the flag is protected' })
  async resume(@Actor() actor: ActorType, @KeyParam() key: string): Promise<FlagScheduleAnswerDto> {
    return { schedule: await this.schedules.resume(actor, key) };
  }
}
