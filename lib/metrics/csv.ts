/**
 * CSV per RFC 4180: fields holding a comma, a double quote, CR/LF or edge spaces are quoted and
 * their quotes doubled; lines end with CRLF. User ids are exported exactly as the relying party
 * sent them (no spreadsheet-formula rewriting, which would change the ids people act on).
 */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function csvDocument(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
