/**
 * Runs once when the server starts: validate the environment, migrate storage, and show the
 * operator how to point an OpenTelemetry exporter here.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { announceStart } = await import('./lib/announce');
  await announceStart();
}
