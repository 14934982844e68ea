import { ApiProperty } from '@nestjs/swagger';
import { PLATFORM_API_SERVICE_NAME, type HealthResponse } from '@dezky/contracts';

export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: [PLATFORM_API_SERVICE_NAME] })
  service!: typeof PLATFORM_API_SERVICE_NAME;

  @ApiProperty({ enum: ['up', 'down'] })
  mongo!: 'up' | 'down';
}
