/**
 * Reading a request body under a size cap, inflating gzip while counting.
 *
 * Why streaming: a gzip bomb of a few KiB inflates to gigabytes. The cap is enforced on the
 * compressed bytes read and, separately, on the bytes produced while inflating, so no payload
 * ever grows past the cap in memory. The caller sees every chunk's size as it arrives (`onBytes`),
 * which is how the in-flight budget (./budget.ts) is reserved before the memory is held.
 */
import zlib from 'node:zlib';
import { BudgetExceededError } from './budget';

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
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`
    : `${Math.round(bytes / 1024)} KiB`;
}

/** Called with every chunk's size as it arrives ('received') and as it inflates ('inflated'); a throw aborts the read. */
export type OnBytes = (bytes: number, stage: 'received' | 'inflated') => void;

async function readCapped(stream: ReadableStream<Uint8Array> | null, limit: number, onBytes?: OnBytes): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let complete = false;
  // Refused by the in-flight budget: the rest is read and dropped, so the connection stays usable.
  let refused: BudgetExceededError | undefined;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new BodyTooLargeError(limit);
      if (!refused) {
        try {
          onBytes?.(value.byteLength, 'received');
          chunks.push(value);
        } catch (error) {
          if (!(error instanceof BudgetExceededError)) throw error;
          refused = error;
          chunks.length = 0;
        }
      }
    }
    complete = true;
    if (refused) throw refused;
  } finally {
    reader.releaseLock();
    if (!complete) await stream.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, total);
}

function gunzipCapped(input: Buffer, limit: number, onBytes?: OnBytes): Promise<Buffer> {
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
      if (settled) return;
      total += chunk.length;
      if (total > limit) return fail(new BodyTooLargeError(limit));
      try {
        onBytes?.(chunk.length, 'inflated');
      } catch (error) {
        return fail(error as Error);
      }
      chunks.push(chunk);
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

/** Reads and drops a body (at most `limit` bytes); false when it was longer and the stream was cancelled. */
export async function discardBody(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<boolean> {
  try {
    await readCapped(stream, limit, () => {
      throw new BudgetExceededError();
    });
    return true;
  } catch (error) {
    return error instanceof BudgetExceededError;
  }
}

/** The decoded request body; `contentEncoding` is the raw header value. */
export async function readBody(
  stream: ReadableStream<Uint8Array> | null,
  contentEncoding: string | null,
  limit: number,
  onBytes?: OnBytes,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return readCapped(stream, limit, onBytes);
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    // A gzip stream is never much smaller than 1/1032 of its output; the compressed cap is the same
    // limit, the inflated cap is enforced while inflating.
    return gunzipCapped(await readCapped(stream, limit, onBytes), limit, onBytes);
  }
  throw new UnsupportedEncodingError(`Content-Encoding '${encoding.slice(0, 40)}' is not supported; use gzip or none.`);
}
