/**
 * The demo population simulator: a seeded, pure model of a passkey rollout (this folder) that
 * `scripts/demo.ts` streams through the SDK to the real OTLP endpoint.
 *
 * Users are independent streams of (seed, index), generated in chunks so a million users run in
 * bounded memory: only one chunk's events exist at a time.
 */
import { z } from 'zod';
import type { SimulationWindow } from './rollout';
import { simulateUser, type UserSimulation } from './simulate-user';

export { emitSimEvent, EVENT_NAME_OF_KIND, type SimEvent, type SimEventKind, type SimTelemetry } from './sim-events';
export { simulateUser, type SimCredential, type UserSimulation } from './simulate-user';
export { createUserProfile, userIdOf, type UserProfile } from './population';
export { ROLLOUT_FLAG_KEY, stageAt, STAGE_STARTS, type SimulationWindow } from './rollout';

const DAY_MS = 86_400_000;

export const zPopulationOptions = z.object({
  users: z
    .number()
    .int('users must be a whole number')
    .min(1, 'users must be at least 1')
    .max(10_000_000, 'users must be at most 10,000,000'),
  days: z.number().int('days must be a whole number').min(1, 'days must be at least 1').max(365, 'days must be at most 365'),
  seed: z.number().int('seed must be an integer').min(0).max(0xffff_ffff),
  /** The end of the simulated period (epoch ms); the demo uses the current time. */
  now: z.number().int().positive(),
});
export type PopulationOptions = z.infer<typeof zPopulationOptions>;

export function simulationWindow(options: Pick<PopulationOptions, 'days' | 'now'>): SimulationWindow {
  return { start: options.now - options.days * DAY_MS, end: options.now };
}

/** Yields the population in chunks of `chunkSize` users, in user order. */
export function* simulatePopulation(options: PopulationOptions, chunkSize = 250): Generator<UserSimulation[]> {
  const parsed = zPopulationOptions.parse(options);
  const window = simulationWindow(parsed);
  for (let first = 0; first < parsed.users; first += chunkSize) {
    const chunk: UserSimulation[] = [];
    const last = Math.min(parsed.users, first + chunkSize);
    for (let index = first; index < last; index++) chunk.push(simulateUser(parsed.seed, index, window));
    yield chunk;
  }
}
