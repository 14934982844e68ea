import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor as ActorType } from '../auth/actor';
import { Actor, OperatorOnly } from '../auth/auth.decorators';
import { ChangeRequestsService } from './change-requests.service';
import {
  ChangeRequestDraftDto,
  ChangeRequestDto,
  ChangeRequestListDto,
  ListChangeRequestsQueryDto,
  RejectChangeRequestDto,
  ReviewChangeRequestDto,
} from './dto/change-request.dto';
import { IF_MATCH_PATTERN, parseIfMatch } from './flag-etag';
import { KeyParam } from './flag-params';


const NOT_FOUND = { description: 'No such change request' };
const CLOSED = { description: 'The request is not pending, changed meanwhile, or (approving) its flag moved since it was drafted: rebase first; nothing changed' };

@ApiTags('change requests')
@OperatorOnly()
@Controller()
export class ChangeRequestsController {
  constructor(private readonly requests: ChangeRequestsService) {}

  @Post('flags/:key/change-requests')
  @ApiOperation({
    summary: 'Ask for approval of a change of a protected flag',
    description: 'The body is a draft as PATCH /flags/:key takes it (or `{ "protected": false }`, or `{ "revertTo": version }`), drafted against the flag the If-Match names.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the flag as you drafted the change', schema: { type: 'string', pattern: IF_MATCH_PATTERN.source } })
  @ApiCreatedResponse({ type: ChangeRequestDto })
  @ApiBadRequestResponse({ description: 'An invalid draft or If-Match, named in the message' })
  @ApiNotFoundResponse({ description: 'No such flag, or a version it no longer keeps' })
  @ApiConflictResponse({ description: 'The flag is not protected, or the draft changes nothing' })
  @ApiResponse({ status: 428, description: 'No If-Match: a change request names the version it changes' })
  @ApiPreconditionFailedResponse({ description: 'The flag changed since the If-Match ETag was handed out; nothing was opened' })
  open(@Actor() actor: ActorType, @KeyParam() key: string, @Body() dto: ChangeRequestDraftDto, @Headers('if-match') ifMatch: string | undefined): Promise<ChangeRequestDto> {
    return this.requests.open(actor, key, dto, parseIfMatch(ifMatch));
  }

  @Get('change-requests')
  @ApiOperation({ summary: 'Change requests, newest first: by status (pending for the review queue) and by flag' })
  @ApiOkResponse({ type: ChangeRequestListDto })
  list(@Query() query: ListChangeRequestsQueryDto): Promise<ChangeRequestListDto> {
    return this.requests.list(query);
  }

  @Get('change-requests/:id')
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@Param('id') id: string): Promise<ChangeRequestDto> {
    return this.requests.get(id);
  }

  @Patch('change-requests/:id')
  @ApiOperation({ summary: 'The author edits the draft: approvals so far are reset and the impact is computed again' })
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiBadRequestResponse({ description: 'An invalid draft, named in the message' })
  @ApiForbiddenResponse({ description: 'Only the author edits a request' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CLOSED)
  edit(@Actor() actor: ActorType, @Param('id') id: string, @Body() dto: ChangeRequestDraftDto): Promise<ChangeRequestDto> {
    return this.requests.edit(actor, id, dto);
  }

  @Post('change-requests/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve: another administrator than the author; the approval that completes the request applies it to the flag',
    description: 'Applied under the ETag the request was drafted against: a flag changed since answers 409 (rebase first) and nothing changes.',
  })
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiForbiddenResponse({ description: 'The author cannot approve their own request' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CLOSED)
  approve(@Actor() actor: ActorType, @Param('id') id: string, @Body() dto: ReviewChangeRequestDto): Promise<ChangeRequestDto> {
    return this.requests.approve(actor, id, dto.comment?.trim() ?? '');
  }

  @Post('change-requests/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject, with a comment (required): another administrator than the author; nothing changes' })
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiBadRequestResponse({ description: 'No comment' })
  @ApiForbiddenResponse({ description: 'The author withdraws instead' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CLOSED)
  reject(@Actor() actor: ActorType, @Param('id') id: string, @Body() dto: RejectChangeRequestDto): Promise<ChangeRequestDto> {
    return this.requests.reject(actor, id, dto.comment.trim());
  }

  @Post('change-requests/:id/rebase')
  @HttpCode(200)
  @ApiOperation({ summary: "The author drafts the request again on the flag's current version; approvals are reset" })
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiForbiddenResponse({ description: 'Only the author rebases a request' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ description: 'Not pending, changed meanwhile, or the draft changes nothing on the current version' })
  rebase(@Actor() actor: ActorType, @Param('id') id: string): Promise<ChangeRequestDto> {
    return this.requests.rebase(actor, id);
  }

  @Post('change-requests/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'The author takes the request back; nothing changes' })
  @ApiOkResponse({ type: ChangeRequestDto })
  @ApiForbiddenResponse({ description: 'Only the author withdraws a request' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse(CLOSED)
  withdraw(@Actor() actor: ActorType, @Param('id') id: string): Promise<ChangeRequestDto> {
    return this.requests.withdraw(actor, id);
  }
}
