export const PLATFORM_API_SERVICE_NAME = 'dezky-platform-api';

export type HealthStatus = 'ok' | 'error';

export interface HealthResponse {
  status: HealthStatus;
  service: typeof PLATFORM_API_SERVICE_NAME;
  mongo: 'up' | 'down';
}
