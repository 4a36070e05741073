// The ConfigMap object for a dashboard, exactly as the rendered YAML denotes it (the
// last-applied annotation is computed from this object).
import { LAST_APPLIED_KEY, lastAppliedConfiguration } from './go-json.ts';

export const NAMESPACE = 'logging';
export const DASHBOARD_LABEL = 'grafana_dashboard';
// Our Grafana HelmRelease sets sidecar.dashboards.folderAnnotation: grafana_folder.
export const FOLDER_ANNOTATION = 'grafana_folder';
// Flux post-build substitution would blank ${var} in the dashboard without this.
export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

export type ConfigMapManifest = {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  data: Record<string, string>;
};

// grafana-dashboard-<name>
export function configMapName(name: string): string {
  return `grafana-dashboard-${name}`;
}

// <name>-dashboard.json: the data key, which the sidecar uses as the file name.
export function dataKey(name: string): string {
  return `${name}-dashboard.json`;
}

// The ConfigMap for `jsonText`, with the folder and substitution annotations when they apply.
export function dashboardConfigMap(input: { name: string; jsonText: string; folder?: string }): ConfigMapManifest {
  const annotations: Record<string, string> = {};
  if (input.folder !== undefined) annotations[FOLDER_ANNOTATION] = input.folder;
  if (input.jsonText.includes('${')) annotations[SUBSTITUTE_ANNOTATION] = 'disabled';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(input.name),
      namespace: NAMESPACE,
      labels: { [DASHBOARD_LABEL]: '1' },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    data: { [dataKey(input.name)]: input.jsonText },
  };
}

// `manifest` with the last-applied annotation kubectl apply would store, added as the last annotation.
export function withLastApplied(manifest: ConfigMapManifest): ConfigMapManifest {
  const value = lastAppliedConfiguration(manifest);
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, [LAST_APPLIED_KEY]: value } } };
}
