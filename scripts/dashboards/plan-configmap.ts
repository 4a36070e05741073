// Decides how a dashboard ConfigMap is written (pretty or minified JSON, with or without the
// last-applied annotation) and renders it; the task prints `notes` and applies as `serverSide` says.
import type { Dashboard } from './read-export.ts';
import { dashboardConfigMap, withLastApplied, type ConfigMapManifest } from './configmap.ts';
import { MAX_ANNOTATIONS_BYTES, annotationsBytes, dataBytes, fitDashboardText } from './size.ts';
import { renderConfigMapFile } from './render.ts';

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
