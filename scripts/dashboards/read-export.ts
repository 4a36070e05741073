// Reads what the user exported from Grafana and returns the classic dashboard JSON model, or
// says exactly what is wrong with the file (with line:column) and how to export it again.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { TaskError } from '../core/errors.ts';
import { findJsonSyntaxError, firstInvalidUtf8, lineColumn } from './error-position.ts';

export type Dashboard = Record<string, unknown>;
export type ExportFormat = 'classic' | 'api' | 'resource-v1';
export type DashboardExport = { dashboard: Dashboard; format: ExportFormat; warnings: string[] };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const RESOURCE_GROUP = 'dashboard.grafana.app/';
const CLASSIC_RESOURCE_VERSIONS = ['v0alpha1', 'v1alpha1', 'v1beta1', 'v1'];
// Far above any real dashboard (the ConfigMap holds at most 1 MiB), far below what would hurt to read.
export const MAX_EXPORT_BYTES = 20 * 1024 * 1024;

// The step-by-step guide for getting a dashboard's JSON model into `path`.
export function exportGuide(path: string): string {
  return [
    `Export the dashboard from Grafana into ${path}:`,
    '  1. Open the dashboard in Grafana.',
    '  2. Dashboard settings (gear icon, or Edit → Settings) → JSON Model.',
    '     Grafana 12+: Export → Export as JSON → choose the classic JSON model, not "Export for sharing externally".',
    '  3. Copy the whole JSON (click into the editor, Ctrl/Cmd+A, Ctrl/Cmd+C).',
    `  4. Save it to ${path}:`,
    `       macOS:         pbpaste > ${path}`,
    `       Linux (X11):   xclip -selection clipboard -o > ${path}`,
    `       Linux (Wayland): wl-paste > ${path}`,
    '     or paste it into the file with your editor.',
  ].join('\n');
}

// Reads and parses the export at `path` (named `label` in messages, e.g. the path as the user gave
// it); a missing file fails with the export guide as the hint. Checked before it is read: a regular
// file (a FIFO or /dev/zero would block or never end) no bigger than MAX_EXPORT_BYTES.
export function readDashboardExport(path: string, label: string = path): DashboardExport {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new TaskError(`${label} does not exist.`, { hint: exportGuide(label) });
    throw new TaskError(`Cannot read ${label}: ${(error as Error).message}.`, { hint: `Check the file and its folder (ls -ld ${label}), then re-run.`, cause: error });
  }
  if (stats.isDirectory()) throw new TaskError(`${label} is a directory, not a dashboard JSON file.`, { hint: exportGuide(label) });
  if (!stats.isFile()) {
    throw new TaskError(`${label} is ${fileKind(stats)}, not a regular file: the export must be a saved JSON file.`, { hint: exportGuide(label) });
  }
  if (stats.size > MAX_EXPORT_BYTES) {
    throw new TaskError(`${label} is ${stats.size} bytes, over the ${MAX_EXPORT_BYTES}-byte (20 MiB) limit for an export: it is not a dashboard JSON model.`, {
      hint: `Check that --file names the exported dashboard. ${exportGuide(label).split('\n')[0]}`,
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new TaskError(`Cannot read ${label}: ${(error as Error).message}.`, { hint: `Check the file's permissions (ls -l ${label}), then re-run.`, cause: error });
  }
  return parseDashboardExport(bytes, label);
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

// Decodes strict UTF-8 (a leading BOM is dropped), parses JSON and unwraps the API and resource forms.
export function parseDashboardExport(bytes: Uint8Array, sourcePath: string): DashboardExport {
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    // Only now look for the bad byte: the native decoder is much faster than the scan on valid files.
    const invalid = firstInvalidUtf8(body);
    if (invalid < 0) throw error;
    const prefix = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, invalid));
    const { line, column } = lineColumn(prefix, prefix.length);
    const hex = body[invalid].toString(16).padStart(2, '0');
    throw new TaskError(`${sourcePath}:${line}:${column}: not valid UTF-8 (byte 0x${hex} at offset ${invalid + (hasBom ? 3 : 0)}).`, {
      hint: 'Save the file as UTF-8; copying the JSON model from Grafana and pasting it with pbpaste/xclip gives UTF-8.',
    });
  }
  if (text.trim() === '') {
    throw new TaskError(`${sourcePath} is empty.`, { hint: exportGuide(sourcePath) });
  }
  return unwrapExport(parseJson(text, sourcePath), sourcePath);
}

function parseJson(text: string, sourcePath: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findJsonSyntaxError(text) ?? { offset: 0, reason: (error as Error).message };
    const { line, column } = lineColumn(text, found.offset);
    throw new TaskError(`${sourcePath}:${line}:${column}: not valid JSON: ${found.reason}.`, {
      hint: 'Copy the whole JSON model from Grafana again (Dashboard settings → JSON Model); a partial copy is the usual cause.',
    });
  }
}

function unwrapExport(value: unknown, sourcePath: string): DashboardExport {
  if (Array.isArray(value)) {
    throw new TaskError(`${sourcePath} holds a JSON array, not a dashboard object.`, {
      hint: 'Export one dashboard at a time: Dashboard settings → JSON Model.',
    });
  }
  if (!isObject(value)) {
    throw new TaskError(`${sourcePath} holds a JSON ${value === null ? 'null' : typeof value}, not a dashboard object.`, {
      hint: exportGuide(sourcePath),
    });
  }
  if (typeof value.apiVersion === 'string' && value.apiVersion.startsWith(RESOURCE_GROUP)) return unwrapResource(value, sourcePath);
  if (isObject(value.dashboard) && !('panels' in value) && !('title' in value)) {
    return { dashboard: value.dashboard, format: 'api', warnings: [] };
  }
  return { dashboard: value, format: 'classic', warnings: [] };
}

function unwrapResource(value: Record<string, unknown>, sourcePath: string): DashboardExport {
  const version = String(value.apiVersion).slice(RESOURCE_GROUP.length);
  const spec = value.spec;
  if (!CLASSIC_RESOURCE_VERSIONS.includes(version) || !isObject(spec) || 'elements' in spec || 'layout' in spec) {
    throw new TaskError(
      `${sourcePath} is a Grafana ${value.apiVersion} resource (schema v2: spec.elements/spec.layout), which file provisioning does not read.`,
      { hint: 'Export the classic JSON model instead: Grafana → Export → Export as JSON → "Classic", or Dashboard settings → JSON Model.' },
    );
  }
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const warnings = [`${sourcePath} is a Grafana ${value.apiVersion} resource; using its spec (the classic JSON model).`];
  const dashboard: Dashboard = { ...spec };
  if (dashboard.uid === undefined && typeof metadata.name === 'string') {
    dashboard.uid = metadata.name;
    warnings.push(`The spec has no uid; using metadata.name "${metadata.name}" as the uid.`);
  }
  return { dashboard, format: 'resource-v1', warnings };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
