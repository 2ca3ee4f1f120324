'use client';

import { seedWindowAnchor } from '@/lib/client/global-params';

/**
 * Hands the server's render time to the first window the page anchors (seedWindowAnchor). Renders
 * nothing; placed before the shell so it runs before anything reads the global params.
 */
export function WindowAnchorSeed({ at }: { at: number }) {
  seedWindowAnchor(at);
  return null;
}
