// zod compiles object schemas with `new Function` where it may, and finds out by trying it: under
// the app's Content-Security-Policy (no 'unsafe-eval') every try is a reported violation. In the
// browser it parses without compiling; the schemas there are small forms.
import { z } from 'zod';

z.config({ jitless: true });

export default defineNuxtPlugin(() => {});
