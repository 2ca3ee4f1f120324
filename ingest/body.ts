/**
 * Reading a request body under a size cap, inflating gzip while counting.
 *
 * Why streaming: a gzip bomb of a few KiB inflates to gigabytes. The cap is enforced on the
 * compressed bytes read and, separately, on the bytes produced while inflating, so no payload
 * ever grows past the cap in memory.
 */
import zlib from 'node:zlib';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`The request body exceeds the ${formatBytes(limit)} limit after decompression; send smaller batches.`);
  }
}

export class BodyEncodingError extends Error {
  override name = 'BodyEncodingError';
}

export class UnsupportedEncodingError extends Error {
  override name = 'UnsupportedEncodingError';
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

async function readCapped(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new BodyTooLargeError(limit);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
    if (total > limit) await stream.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, total);
}

function gunzipCapped(input: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = zlib.createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error);
    };
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) fail(new BodyTooLargeError(limit));
      else chunks.push(chunk);
    });
    gunzip.on('error', (error) => fail(new BodyEncodingError(`The body is not valid gzip: ${error.message}`)));
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    gunzip.end(input);
  });
}

/** The decoded request body; `contentEncoding` is the raw header value. */
export async function readBody(
  stream: ReadableStream<Uint8Array> | null,
  contentEncoding: string | null,
  limit: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return readCapped(stream, limit);
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    // A gzip stream is never much smaller than 1/1032 of its output; the compressed cap is the same
    // limit, the inflated cap is enforced while inflating.
    return gunzipCapped(await readCapped(stream, limit), limit);
  }
  throw new UnsupportedEncodingError(`Content-Encoding '${encoding.slice(0, 40)}' is not supported; use gzip or none.`);
}
