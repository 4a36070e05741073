import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configMap, validateTree } from './fixture.ts';

// The warning that the apps Kustomization, which reads infrastructure/apps/config.yaml, was not built.
const SKIPPED = 'build/skipped clusters/dev/apps.yaml:21 Kustomization flux-system/apps was not built: infrastructure/apps/config.yaml has YAML errors (above); its objects are not checked';

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

test.run();
