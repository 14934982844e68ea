import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * Waits, before the app serves, until every model's collection and indexes exist. Mongoose
 * creates them in the background; a first write racing that creation can be lost on a fresh
 * database, and a unique index that is not there yet lets a duplicate in.
 */
@Injectable()
export class ModelsReady implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(Object.values(this.connection.models).map((m) => m.init()));
  }
}
