export const PLATFORM_API_SERVICE_NAME = 'dezky-platform-api';

export type HealthStatus = 'ok' | 'error';

/** `GET /health`: whether this process and MongoDB both answer (503 when MongoDB does not). */
export interface HealthResponse {
  status: HealthStatus;
  service: typeof PLATFORM_API_SERVICE_NAME;
  mongo: 'up' | 'down';
}

/**
 * `GET /health/ready`: whether this process should be sent requests. It is while MongoDB is
 * down, since it answers evaluations and reads from memory then (marked stale) and refuses
 * writes at once; it is not once it has begun shutting down (503, `stopping`), so a load
 * balancer drains it.
 */
export interface ReadinessResponse {
  status: 'ready' | 'stopping';
  service: typeof PLATFORM_API_SERVICE_NAME;
  /** As the driver's heartbeats know it: `down` means answers are served from memory. */
  mongo: 'up' | 'down';
}

/** `GET /health/live`: the process answers; nothing it depends on is asked. */
export interface LivenessResponse {
  status: 'ok';
  service: typeof PLATFORM_API_SERVICE_NAME;
}
