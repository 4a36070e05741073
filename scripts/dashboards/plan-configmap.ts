// Decides how a dashboard ConfigMap is written within the two Kubernetes size limits it runs into
// (pretty or minified JSON, with or without the last-applied annotation) and renders it; the task
// prints `notes` and applies as `serverSide` says.
import { TaskError } from '../core/errors.ts';
import type { Dashboard } from './read-export.ts';
import { dashboardConfigMap, dashboardJsonText, renderConfigMapFile, withLastApplied, type ConfigMapManifest } from './configmap.ts';

// --- The size limits -----------------------------------------------------------------------------

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

// --- The plan ------------------------------------------------------------------------------------

export type ConfigMapPlan = {
  yaml: string;
  // The dashboard JSON text in the data key (pretty, or minified when `minified`).
  jsonText: string;
  // The object the YAML denotes (without the last-applied annotation).
  manifest: ConfigMapManifest;
  withLastApplied: boolean;
  serverSide: boolean;
  minified: boolean;
  dataBytes: number;
  annotationsBytes: number;
  notes: string[];
};

// The rendered ConfigMap and the decisions behind it; throws a TaskError when even minified JSON exceeds 1 MiB.
export function planDashboardConfigMap(input: { name: string; dashboard: Dashboard; folder?: string; sourcePath: string }): ConfigMapPlan {
  const { text, minified } = fitDashboardText(input.dashboard, input.sourcePath);
  const manifest = dashboardConfigMap({ name: input.name, jsonText: text, folder: input.folder });
  const full = withLastApplied(manifest);
  const fullBytes = annotationsBytes(full.metadata.annotations ?? {});
  const fits = fullBytes <= MAX_ANNOTATIONS_BYTES;
  const notes: string[] = [];
  if (minified) notes.push('The pretty-printed JSON is over 1 MiB, so the ConfigMap holds it minified.');
  if (!fits) {
    notes.push(
      `With kubectl's last-applied-configuration annotation the annotations would be ${fullBytes} bytes, over the ` +
        `${MAX_ANNOTATIONS_BYTES}-byte limit: the ConfigMap is written without it and applied with kubectl apply --server-side.`,
    );
  }
  const yaml = renderConfigMapFile(fits ? full : manifest, { name: input.name, dashboard: input.dashboard, withLastApplied: fits, minify: minified });
  return {
    yaml,
    jsonText: text,
    manifest,
    withLastApplied: fits,
    serverSide: !fits,
    minified,
    dataBytes: dataBytes(manifest.data),
    annotationsBytes: fits ? fullBytes : annotationsBytes(manifest.metadata.annotations ?? {}),
    notes,
  };
}
