import { ApiProperty } from '@nestjs/swagger';
import { PLATFORM_API_SERVICE_NAME, type HealthResponse, type LivenessResponse, type ReadinessResponse } from '@dezky/contracts';

export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: [PLATFORM_API_SERVICE_NAME] })
  service!: typeof PLATFORM_API_SERVICE_NAME;

  @ApiProperty({ enum: ['up', 'down'] })
  mongo!: 'up' | 'down';
}

export class ReadinessResponseDto implements ReadinessResponse {
  @ApiProperty({ enum: ['ready', 'stopping'], description: '`stopping` (with 503) once the process has begun shutting down' })
  status!: 'ready' | 'stopping';

  @ApiProperty({ enum: [PLATFORM_API_SERVICE_NAME] })
  service!: typeof PLATFORM_API_SERVICE_NAME;

  @ApiProperty({ enum: ['up', 'down'], description: 'As the driver\'s heartbeats know it; `down`: evaluations and reads are answered from memory, marked stale, and writes refused' })
  mongo!: 'up' | 'down';
}

export class LivenessResponseDto implements LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ enum: [PLATFORM_API_SERVICE_NAME] })
  service!: typeof PLATFORM_API_SERVICE_NAME;
}
