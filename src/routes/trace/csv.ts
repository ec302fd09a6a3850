/**
 * RFC 4180 CSV with a BOM (so Excel opens Chinese text as UTF-8). A cell that a spreadsheet would run as a
 * formula (starting with = + - @ or a tab) is prefixed with an apostrophe: these files are opened by hand.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => {
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
