/**
 * An HTTP request from a chosen local address (fetch cannot choose one): any 127/8 address reaches
 * a server on 127.0.0.1, so a test can be "the proxy" (one address) and "a client" (another).
 */
import http from 'node:http';

export interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function requestFrom(
  url: string,
  options: { from?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Sent> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        localAddress: options.from ?? '127.0.0.1',
        headers: options.headers ?? {},
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
