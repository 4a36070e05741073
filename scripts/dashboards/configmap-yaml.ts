// The dashboard ConfigMap as YAML text, written out directly for its one fixed shape: building a
// yaml Document took ~25 ms for a 500 KB dashboard. The bytes are exactly those the yaml package
// prints with lineWidth 0 (tests/scripts/dashboards/configmap-yaml.test.ts compares the two); each
// scalar writer refuses, as a bug, text for which the yaml package would have chosen another style.
import type { ConfigMapManifest } from './configmap.ts';
import { FOLDER_ANNOTATION } from './configmap.ts';
import { LAST_APPLIED_KEY } from './go-json.ts';

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
