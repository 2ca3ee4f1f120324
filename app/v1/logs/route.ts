// OTLP/HTTP logs receiver: a thin adapter; everything else lives in ingest/.
import { ingestHandler } from '@/lib/ingest-service';

export const dynamic = 'force-dynamic';

export const POST = ingestHandler;
export const OPTIONS = ingestHandler;
export const GET = ingestHandler;
export const PUT = ingestHandler;
export const PATCH = ingestHandler;
export const DELETE = ingestHandler;
