import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configMap, validateTree } from './fixture.ts';

// The warning that the apps Kustomization, which reads infrastructure/apps/config.yaml, was not built.
const SKIPPED = 'build/skipped clusters/dev/apps.yaml:21 not built: infrastructure/apps/config.yaml has YAML errors; its objects are not checked';

test('an error at the end of a file (an unclosed [) is reported on its last line, not the line after it', async () => {
  const text = configMap('settings', 'apps', 'a: "1"', 'b: "2"', 'c: [1, 2');
  assert.is(text.split('\n').length - 1, 9);
  const result = await validateTree({ 'infrastructure/apps/config.yaml': text });
  assert.equal(result.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`), [
    SKIPPED,
    'yaml/syntax infrastructure/apps/config.yaml:9 YAML syntax error (column 11): Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
});

test('a file without a final newline keeps the line and column of the error', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [a' });
  assert.equal(result.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`), [
    SKIPPED,
    'yaml/syntax infrastructure/apps/config.yaml:3 YAML syntax error (column 13): Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
});

const described = (findings: readonly { rule: string; file: string; line: number; message: string }[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`);

test('a duplicate key is named, with the mapping that holds it and its object', async () => {
  const data = await validateTree({ 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "1"', 'b: "2"', 'a: "3"') });
  assert.equal(data.findings[1], {
    severity: 'error', check: 'yaml', rule: 'yaml/duplicate-key', file: 'infrastructure/apps/config.yaml', line: 9, object: 'ConfigMap apps/settings', clusters: [],
    message: 'duplicate key "a" in data (column 3): Map keys must be unique', hint: 'keep one of the keys: the API server would reject or silently drop the other',
  });
  // A repeated name leaves the object unknown; a key in a list item is named with its index.
  const name = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n  name: other\n' });
  const list = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - kind: X\n    x: 1\n    "x": 2\n' });
  assert.equal([...described(name.findings), ...described(list.findings)], [
    SKIPPED, 'yaml/duplicate-key infrastructure/apps/config.yaml:6 duplicate key "name" in metadata (column 3): Map keys must be unique',
    SKIPPED, 'yaml/duplicate-key infrastructure/apps/config.yaml:6 duplicate key "x" in items[0] (column 5): Map keys must be unique',
  ]);
  assert.equal([name.findings[1].object, list.findings[1].object], [undefined, undefined]);
});

test('one mis-indented line is one finding: the parser\'s first error at that line and column', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n    namespace: apps\ndata:\n  a: "1"\n' });
  assert.equal(described(result.findings), [SKIPPED, 'yaml/syntax infrastructure/apps/config.yaml:4 YAML syntax error (column 9): Nested mappings are not allowed in compact mappings']);
});

test('a missing closing quote at the end of a file is reported at the end of its last line that is not blank', async () => {
  const sixLines = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1';
  const expected = [SKIPPED, 'yaml/syntax infrastructure/apps/config.yaml:6 YAML syntax error (column 8): Missing closing "quote'];
  for (const text of [sixLines, `${sixLines}\n`, `${sixLines}\n\n`, `${sixLines}\n  \n\n`, `${sixLines.split('\n').join('\r\n')}\r\n\r\n`]) {
    const result = await validateTree({ 'infrastructure/apps/config.yaml': text });
    assert.equal(described(result.findings), expected, JSON.stringify(text));
  }
});

test.run();
