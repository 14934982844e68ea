import { Injectable } from '@nestjs/common';

/**
 * Whether this process has begun shutting down. From that moment its readiness probe answers
 * 503 while it goes on serving for SHUTDOWN_DRAIN_MS (main.ts), so load balancers and
 * Kubernetes take it out of rotation before it stops listening.
 */
@Injectable()
export class ShutdownState {
  private began = false;

  begin(): void {
    this.began = true;
  }

  get stopping(): boolean {
    return this.began;
  }
}
