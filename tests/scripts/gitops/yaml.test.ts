import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { at, objectsOf, parseYamlFile } from '../../../scripts/gitops/yaml.ts';

test('lists every document with the line its content starts on', () => {
  const parsed = parseYamlFile('a.yaml', '# head\n---\nkind: A\n---\n# comment\nkind: B\n---\n- 1\n');
  assert.equal(parsed.problems, []);
  assert.equal(parsed.documents.map((d) => [d.index, d.line]), [[0, 3], [1, 6], [2, 8]]);
  assert.equal(objectsOf(parsed).map((o) => [o.doc.kind, o.line]), [['A', 3], ['B', 6]]);
});

test('reports a duplicate key with its line and column', () => {
  const parsed = parseYamlFile('a.yaml', 'kind: A\nmetadata:\n  name: x\n  name: y\n');
  assert.equal(parsed.problems, [{ line: 4, column: 3, code: 'DUPLICATE_KEY', message: 'Map keys must be unique' }]);
  assert.equal(parsed.documents[0].value, undefined);
});

test('reports a syntax error in a later document and keeps the earlier one', () => {
  const parsed = parseYamlFile('a.yaml', 'kind: A\n---\nkind: [B\n');
  assert.equal(parsed.problems.map((p) => [p.line, p.code]), [[4, 'BAD_INDENT']]);
  assert.equal(objectsOf(parsed).map((o) => o.doc.kind), ['A']);
});

test('at reads nested fields and list items', () => {
  assert.is(at({ a: { b: [{ c: 1 }] } }, 'a', 'b', 0, 'c'), 1);
  assert.is(at({ a: 1 }, 'a', 'b'), undefined);
});

test('finds the line of a nested value', () => {
  const parsed = parseYamlFile('a.yaml', 'kind: A\n---\nkind: B\nspec:\n  list:\n    - x\n    - name: y\n');
  assert.is(parsed.lineOf(1, ['spec', 'list', 1, 'name']), 7);
  assert.is(parsed.lineOf(1, ['spec', 'missing']), undefined);
});

test.run();
