// The two Kubernetes size limits a dashboard ConfigMap runs into, and what to do about each.
import { TaskError } from '../core/errors.ts';
import type { Dashboard } from './read-export.ts';
import { dashboardJsonText } from './json-text.ts';

// apimachinery TotalAnnotationSizeLimitB: sum of len(key)+len(value) over all annotations.
export const MAX_ANNOTATIONS_BYTES = 262144;
// core.MaxSecretSize, which ValidateConfigMap applies to the sum of data and binaryData values.
export const MAX_DATA_BYTES = 1048576;

// The UTF-8 length of `text`, which is what the apiserver counts.
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// Bytes the apiserver counts against the annotation limit.
export function annotationsBytes(annotations: Record<string, string>): number {
  return Object.entries(annotations).reduce((sum, [key, value]) => sum + utf8Length(key) + utf8Length(value), 0);
}

// Bytes the apiserver counts against the ConfigMap data limit.
export function dataBytes(data: Record<string, string>): number {
  return Object.values(data).reduce((sum, value) => sum + utf8Length(value), 0);
}

// True when annotations of this total size pass validation (262144 passes, 262145 does not).
export function fitsAnnotationLimit(annotations: Record<string, string>): boolean {
  return annotationsBytes(annotations) <= MAX_ANNOTATIONS_BYTES;
}

// The dashboard text that fits the 1 MiB data limit: pretty if it fits, else minified; refuses when neither does.
export function fitDashboardText(dashboard: Dashboard, sourcePath: string): { text: string; minified: boolean } {
  const pretty = dashboardJsonText(dashboard);
  if (utf8Length(pretty) <= MAX_DATA_BYTES) return { text: pretty, minified: false };
  const minified = dashboardJsonText(dashboard, { minify: true });
  const bytes = utf8Length(minified);
  if (bytes <= MAX_DATA_BYTES) return { text: minified, minified: true };
  throw new TaskError(
    `${sourcePath} is too big for a ConfigMap: ${bytes} bytes even minified, over the ${MAX_DATA_BYTES}-byte (1 MiB) limit.`,
    { hint: 'Split the dashboard into smaller ones (e.g. one per row) and add each with its own name.' },
  );
}
