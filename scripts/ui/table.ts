// Tables as the flux CLI and kubectl print them: space-padded columns, upper-case headers.
import type { FluxRow } from '../adapters/flux-status.ts';

// Columns padded to their widest cell; the last column is not padded.
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

// The `flux get` table (NAMESPACE first with allNamespaces).
export function formatFluxTable(rows: readonly FluxRow[], allNamespaces: boolean): string {
  const columns: (keyof FluxRow)[] = [...(allNamespaces ? ['namespace' as const] : []), 'name', 'revision', 'suspended', 'ready', 'message'];
  return formatTable(columns.map((c) => c.toUpperCase()), rows.map((row) => columns.map((c) => row[c])));
}
