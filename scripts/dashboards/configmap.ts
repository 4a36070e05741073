// The dashboard ConfigMap file: the dashboard JSON text in its data key, the ConfigMap object
// (name, label, annotations, last-applied annotation), and the YAML text with its header comments.
import type { Dashboard } from './read-export.ts';
import { LAST_APPLIED_KEY, lastAppliedConfiguration } from './go-json.ts';

// --- The JSON text -------------------------------------------------------------------------------
// The dashboard JSON text that goes into the ConfigMap: `id` null, and written so that kubectl's
// YAML reader (go-yaml) gives back exactly the same string.

// NOTE: go-yaml refuses DEL and C1 controls ("control characters are not allowed"), breaks on raw
// U+2028/U+2029 and silently turns U+0085 into a space. They can only occur inside JSON strings, so
// writing them as \uXXXX keeps the JSON valid and its meaning unchanged.
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

// Pretty (2 spaces) or minified JSON of `dashboard` with `id: null`, YAML-unsafe characters escaped, and a trailing newline.
export function dashboardJsonText(dashboard: Dashboard, options: { minify?: boolean } = {}): string {
  const json = JSON.stringify({ ...dashboard, id: null }, null, options.minify ? undefined : 2);
  return `${escapeYamlUnsafe(json)}\n`;
}

// `text` with DEL, C1 controls, U+2028 and U+2029 written as JSON \uXXXX escapes.
export function escapeYamlUnsafe(text: string): string {
  return text.replace(YAML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// --- The object ----------------------------------------------------------------------------------
// The ConfigMap object for a dashboard, exactly as the rendered YAML denotes it (the last-applied
// annotation is computed from this object).

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

// --- The file ------------------------------------------------------------------------------------
// Header comments, then the manifest, with the JSON as a literal block so that diffs stay readable.

export type RenderInput = { name: string; dashboard: Dashboard; folder?: string; withLastApplied: boolean; minify?: boolean };

// The ConfigMap file for `dashboard`; its last-applied annotation (when asked for) is the one kubectl computes from it.
export function renderDashboardConfigMap(input: RenderInput): string {
  const jsonText = dashboardJsonText(input.dashboard, { minify: input.minify });
  const manifest = dashboardConfigMap({ name: input.name, jsonText, folder: input.folder });
  return renderConfigMapFile(input.withLastApplied ? withLastApplied(manifest) : manifest, input);
}

// The file for a `manifest` already built from `input` (with the last-applied annotation when input.withLastApplied).
export function renderConfigMapFile(manifest: ConfigMapManifest, input: Omit<RenderInput, 'folder'>): string {
  return configMapYaml(manifest, headerLines(input));
}

function headerLines(input: Omit<RenderInput, 'folder'>): string[] {
  const { title, uid } = input.dashboard;
  const lines = [
    `Grafana dashboard ${commentText(title)} (uid ${commentText(uid)}), loaded into Grafana by the`,
    'Grafana dashboard sidecar, which picks up ConfigMaps labelled grafana_dashboard: "1".',
    'Generated by tasks/dashboard-cm.ts: do not edit by hand. To update it, export the JSON model',
    `from Grafana into tmp/dashboard.json and run: npx zx tasks/dashboard-cm.ts ${input.name}`,
    `To get the JSON back for editing in Grafana: npx zx tasks/dashboard-cm.ts ${input.name} --extract`,
  ];
  if (!input.withLastApplied) {
    lines.push('No last-applied-configuration annotation: it would exceed the 256 KiB annotation limit,', 'so apply this file with kubectl apply --server-side.');
  }
  if (input.minify) lines.push('The JSON is minified to stay under the 1 MiB ConfigMap limit.');
  return lines;
}

// A title or uid as a one-line comment: JSON-quoted, nothing YAML reads as a line break or refuses.
function commentText(value: unknown): string {
  return escapeYamlUnsafe(JSON.stringify(String(value ?? ''))).replace(/\ufeff/g, '\\ufeff');
}

// --- The YAML text -------------------------------------------------------------------------------
// Written out directly for its one fixed shape: building a yaml Document took ~25 ms for a 500 KB
// dashboard. The bytes are exactly those the yaml package prints with lineWidth 0
// (tests/scripts/dashboards/configmap.test.ts compares the two); each scalar writer refuses, as a
// bug, text for which the yaml package would have chosen another style.

// YAML for `manifest` under the comment lines `header`: the folder annotation double-quoted (kubectl
// reads YAML 1.1, where a plain `yes` is a boolean), the data and the last-applied value as literal blocks.
export function configMapYaml(manifest: ConfigMapManifest, header: string[]): string {
  const { name, namespace, labels, annotations } = manifest.metadata;
  const lines = [
    // The yaml package's comment rule: '#' before every non-empty line, which here all start with a space.
    header.map((line) => ` ${line}`).join('\n').replace(/^(?!$)(?: $)?/gm, '#'),
    '',
    `apiVersion: ${scalar(manifest.apiVersion)}`,
    `kind: ${scalar(manifest.kind)}`,
    'metadata:',
    `  name: ${scalar(name)}`,
    `  namespace: ${scalar(namespace)}`,
    '  labels:',
    ...Object.entries(labels).map(([key, value]) => `    ${scalar(key)}: ${scalar(value)}`),
  ];
  if (annotations) {
    lines.push('  annotations:');
    for (const [key, value] of Object.entries(annotations)) {
      const text = key === FOLDER_ANNOTATION ? doubleQuoted(value) : key === LAST_APPLIED_KEY ? literalBlock(value, '      ') : scalar(value);
      lines.push(`    ${scalar(key)}: ${text}`);
    }
  }
  lines.push('data:', ...Object.entries(manifest.data).map(([key, value]) => `  ${scalar(key)}: ${literalBlock(value, '    ')}`));
  return `${lines.join('\n')}\n`;
}

// Text the YAML 1.2 core schema reads as something other than a string (yaml package, schema/core).
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?[0-9]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

// A key or short value: plain when it is a name-like word, else double-quoted as the yaml package does ("1").
function scalar(text: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(text)) throw new Error(`configMapYaml: no plain YAML writer for ${JSON.stringify(text)}`);
  return NOT_A_STRING.some((pattern) => pattern.test(text)) ? doubleQuoted(text) : text;
}

// A double-quoted scalar: the yaml package writes JSON.stringify's text unless there are control characters.
function doubleQuoted(text: string): string {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) throw new Error(`configMapYaml: no double-quoted YAML writer for ${JSON.stringify(text)}`);
  return JSON.stringify(text);
}

// A `|` block for text that ends in one newline after a non-blank character, starts with neither a
// space nor a newline and holds nothing the yaml package would double-quote instead (controls, lone surrogates).
function literalBlock(text: string, indent: string): string {
  if (!/^(?![ \n])[^]*[^\n\t ]\n$/.test(text) || /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{d800}-\u{dfff}]/u.test(text)) {
    throw new Error(`configMapYaml: no literal block writer for text starting ${JSON.stringify(text.slice(0, 40))}`);
  }
  // Empty lines stay empty: the indent goes after the last newline of each run, as in the yaml package.
  return `|\n${indent}${text.slice(0, -1).replace(/\n+/g, `$&${indent}`)}`;
}
