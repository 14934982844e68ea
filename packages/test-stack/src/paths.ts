import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root (this file is packages/test-stack/{src,dist}/paths.*). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** tools/mongo-wire: the launcher and, in lib/, the jars of mongo-java-server. */
export const MONGO_WIRE_DIR = path.join(ROOT, 'tools/mongo-wire');
export const API_DIR = path.join(ROOT, 'services/platform-api');
/** The built API, as `pnpm start` and the Dockerfile run it. */
export const API_MAIN = path.join(API_DIR, 'dist/main.js');
