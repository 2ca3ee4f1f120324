export interface DemoOptions { endpoint: string; token: string; users: number; days: number; seed: number }
export async function runDemo(_options: DemoOptions): Promise<void> {
  throw new Error('the demo simulator is not built yet');
}
