/**
 * Tests import server modules directly, outside Next's server bundles, where the `server-only`
 * marker would throw (it resolves to its empty module only under the `react-server` condition Next
 * uses for routes, server components and instrumentation). vitest.config.ts aliases it here.
 */
export {};
