import { authorize } from '@/lib/api/auth';
import { unexpectedErrorResponse } from '@/lib/api/errors';
import { OPENAPI_OPERATION, openApiDocument, type OpenApiDocument } from '@/lib/api/openapi';
import { withOperation } from '@/lib/api/operation';
import { API_ROUTES } from '../registry';

export const dynamic = 'force-dynamic';

let document: OpenApiDocument | undefined;

/** The OpenAPI 3.1 description of /api/v1 (lib/api/openapi.ts), built once per process; the same access as every read. */
export const GET = withOperation(async function GET(request: Request): Promise<Response> {
  try {
    authorize(request, 'read');
    document ??= openApiDocument([...API_ROUTES, { GET }]);
    return Response.json(document, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return unexpectedErrorResponse(error, 'openapi');
  }
}, OPENAPI_OPERATION);
