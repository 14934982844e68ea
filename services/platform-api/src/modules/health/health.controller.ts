import { Controller, Get, HttpStatus, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { PLATFORM_API_SERVICE_NAME, type HealthResponse, type LivenessResponse, type ReadinessResponse } from '@dezky/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/http/public.decorator';
import { ShutdownState } from '../../common/http/shutdown-state';
import { DatabaseState } from '../../common/mongo/database-state';
import { HealthResponseDto, LivenessResponseDto, ReadinessResponseDto } from './health-response.dto';

/**
 * Three probes for three questions. `/health`: do this process and MongoDB both answer (for
 * people and uptime checks). `/health/ready`: should a load balancer send this process
 * requests; yes while MongoDB is down, since the process then serves from memory, and no once
 * it is shutting down. `/health/live`: is the process alive at all, for a supervisor that
 * restarts it; it asks nothing, so an outage elsewhere never restarts every replica.
 */
@ApiTags('health')
@Controller('health')
@Public()
export class HealthController implements BeforeApplicationShutdown {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly database: DatabaseState,
    private readonly shutdown: ShutdownState,
  ) {}

  /** An app closed without a signal (tests, embedding) is stopping too. */
  beforeApplicationShutdown(): void {
    this.shutdown.begin();
  }

  @Get()
  @ApiOperation({ summary: 'Whether the API and MongoDB answer' })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The API and MongoDB answer' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'MongoDB does not answer' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    let mongoUp: boolean;
    try {
      const result = await this.health.check([() => this.mongoose.pingCheck('mongo', { timeout: 1500 })]);
      mongoUp = result.status === 'ok';
    } catch {
      // HealthCheckService throws a 503 carrying the failed indicators; our body is simpler.
      mongoUp = false;
    }
    reply.code(mongoUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: mongoUp ? 'ok' : 'error', service: PLATFORM_API_SERVICE_NAME, mongo: mongoUp ? 'up' : 'down' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Whether this process should be sent requests (readiness probe); it waits on nothing' })
  @ApiOkResponse({ type: ReadinessResponseDto, description: 'Ready, MongoDB up or down' })
  @ApiServiceUnavailableResponse({ type: ReadinessResponseDto, description: 'Shutting down' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): ReadinessResponse {
    const stopping = this.shutdown.stopping;
    reply.code(stopping ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status: stopping ? 'stopping' : 'ready', service: PLATFORM_API_SERVICE_NAME, mongo: this.database.available ? 'up' : 'down' };
  }

  @Get('live')
  @ApiOperation({ summary: 'Whether the process answers (liveness probe); it asks nothing it depends on' })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponse {
    return { status: 'ok', service: PLATFORM_API_SERVICE_NAME };
  }
}
