import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the tests save their screenshots (git-ignored). */
export const SCREENSHOTS = path.join(ROOT, 'e2e/screenshots');
