/**
 * Runs the reference relying party against a running passkey analytics product:
 *
 *   npx tsx examples/relying-party/server.ts --product http://127.0.0.1:3000 --token <ingest token> --port 4000
 *
 * (or RP_PRODUCT_URL / RP_INGEST_TOKEN / RP_PORT …; see README.md). Then open http://localhost:4000.
 */
import { createRelyingParty } from './app';
import { parseRelyingPartyConfig, RelyingPartyConfigError } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = parseRelyingPartyConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof RelyingPartyConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const rp = createRelyingParty(config);
  const origin = await rp.start();
  console.log(`[relying-party] ${origin} (RP ID ${config.rpId}) → telemetry to ${config.product}/v1/logs`);
  console.log(
    `[relying-party] browser telemetry: ${config.browserTelemetry === 'proxy' ? `same-origin ${origin}/v1/logs, forwarded` : `direct (the product needs CORS_ORIGINS=${origin})`}`,
  );
  const stop = () => {
    rp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
