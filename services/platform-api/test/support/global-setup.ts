import type { TestProject } from 'vitest/node';
import { startMongoWire, type MongoWire } from '@dezky/test-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUrl: string;
  }
}

let server: MongoWire | undefined;

/**
 * One MongoDB-wire server for the whole integration run; each test file uses its own
 * database on it. With MONGO_URL set (for example a real mongo:7), the same suite runs there.
 */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.MONGO_URL;
  if (external) {
    project.provide('mongoUrl', external);
    return;
  }
  server = await startMongoWire();
  project.provide('mongoUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
