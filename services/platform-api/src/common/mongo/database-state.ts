import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/** Server types that accept writes (a standalone server, a primary, a router). */
const WRITABLE = new Set(['Standalone', 'RSPrimary', 'Mongos', 'LoadBalancer']);

interface TopologyChange {
  newDescription: { servers: Map<string, { type: string }> };
}

type Listener = (available: boolean) => void;

/**
 * Whether MongoDB can be reached, as the driver knows it from its heartbeats and topology
 * events (never from a request waiting for a timeout). Requests that need the database ask
 * this first and answer 503 at once while it is down; read models use it to mark their
 * answers stale and to reload when the server returns.
 */
@Injectable()
export class DatabaseState implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DatabaseState.name);
  private up = true;
  private readonly listeners = new Set<Listener>();
  private readonly onTopology = (event: TopologyChange) => {
    const up = [...event.newDescription.servers.values()].some((s) => WRITABLE.has(s.type));
    if (up === this.up) return;
    this.up = up;
    if (up) this.logger.log('MongoDB is reachable again');
    else this.logger.warn('MongoDB is unreachable: serving from memory, refusing writes');
    for (const listener of this.listeners) listener(up);
  };

  constructor(@InjectConnection() private readonly connection: Connection) {}

  onModuleInit(): void {
    this.connection.getClient().on('topologyDescriptionChanged', this.onTopology);
  }

  onModuleDestroy(): void {
    this.connection.getClient().off('topologyDescriptionChanged', this.onTopology);
    this.listeners.clear();
  }

  /** False from the moment the driver knows no writable server answers, until one does again. */
  get available(): boolean {
    return this.up;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
