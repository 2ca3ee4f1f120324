/**
 * CSV per RFC 4180: fields holding a comma, a double quote, CR/LF or edge spaces are quoted and
 * their quotes doubled; lines end with CRLF.
 *
 * Spreadsheet formulas are neutralised by default (OWASP "CSV Injection"): a text cell beginning
 * with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel, LibreOffice or
 * Google Sheets shows it as text instead of evaluating it. Why: user ids and the other exported
 * strings come from the relying parties' telemetry, and an id such as `=HYPERLINK("https://…")`
 * would otherwise run in the spreadsheet of whoever opens the export. `raw` (the routes' `raw=1`)
 * exports the exact text instead, for programs that read the file; numbers are never rewritten.
 */
export interface CsvOptions {
  /** Export text exactly as stored: no `'` before formula-like cells. */
  raw?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** `'` before a text that a spreadsheet would take for a formula; anything else unchanged. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvField(value: string | number, options: CsvOptions = {}): string {
  const text = typeof value === 'number' || options.raw ? String(value) : neutraliseFormula(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number>, options: CsvOptions = {}): string {
  return `${values.map((value) => csvField(value, options)).join(',')}\r\n`;
}

export function csvDocument(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  options: CsvOptions = {},
): string {
  return csvLine(header, options) + rows.map((row) => csvLine(row, options)).join('');
}
