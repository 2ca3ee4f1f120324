/**
 * Runs in the browser before the dashboard's own code (Next.js `instrumentation-client`).
 *
 * zod compiles a fast parser with `new Function` unless told not to, and it probes for that with
 * `Function("")` the moment the first object schema is created, which the page's
 * Content-Security-Policy (no `'unsafe-eval'`; lib/security/headers.ts) blocks and reports as a
 * violation. Parsing without the compiled fast path makes no difference at the dashboard's sizes.
 * This must run before any schema module loads, hence here rather than in a component.
 */
import { z } from 'zod';

z.config({ jitless: true });
