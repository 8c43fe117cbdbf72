/** HTML text of a value: everything a capture or a user wrote is escaped (the report is opened as a file). */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A table with a caption-less header row; cells are escaped unless given as `{ html }`. */
export function table(
  label: string,
  headers: string[],
  rows: (string | number | { html: string } | null | undefined)[][],
): string {
  const cell = (c: string | number | { html: string } | null | undefined) =>
    typeof c === 'object' && c !== null ? c.html : esc(c ?? '');
  return `<table aria-label="${esc(label)}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Print-friendly styles inlined in the report: no external stylesheet, font or script. */
export const REPORT_CSS = `
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d252c;margin:24px;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5dbe1;padding-bottom:4px}
h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;table-layout:auto}
th,td{border:1px solid #d5dbe1;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f2f5f7;font-weight:600}
.muted{color:#5d6975}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.sev{font-weight:600}.sev-critical{color:#b3261e}.sev-major{color:#b35900}.sev-minor{color:#7a6800}.sev-info{color:#3b5f8f}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}.kv dt{color:#5d6975}.kv dd{margin:0}
.finding{border:1px solid #d5dbe1;border-radius:4px;padding:6px 8px;margin:6px 0;break-inside:avoid}
.incident{border-left:4px solid #b35900;padding:4px 10px;margin:8px 0;break-inside:avoid}
svg{max-width:100%;height:auto}
@page{margin:14mm}
@media print{body{margin:0}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
`;
