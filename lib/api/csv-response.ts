/** A CSV export's HTTP answer: a download named `filename`, never cached, with the rows' total in `X-Total-Count`. */
export function csvResponse(body: string, filename: string, total: number): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename=${filename}`,
      'cache-control': 'no-store',
      'x-total-count': String(total),
    },
  });
}

/** A UTC day (`YYYY-MM-DD`) for an export's file name. */
export const csvDay = (date: Date): string => date.toISOString().slice(0, 10);
