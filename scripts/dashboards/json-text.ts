// The dashboard JSON text that goes into the ConfigMap: `id` null, and written so that kubectl's
// YAML reader (go-yaml) gives back exactly the same string.
import type { Dashboard } from './read-export.ts';

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
