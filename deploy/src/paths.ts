import path from 'node:path';
import { ROOT } from '@dezky/test-stack';

export { ROOT };
/** This package's folder. */
export const DEPLOY = path.join(ROOT, 'deploy');
