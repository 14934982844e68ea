import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { PLATFORM_API_SERVICE_NAME, type HealthResponse } from '@dezky/contracts';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/http/public.decorator';
import { HealthResponseDto } from './health-response.dto';

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
  ) {}

  @Get()
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
}
