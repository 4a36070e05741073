import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyCommonMetadata, substitute, substitutionDisabled } from '../../../scripts/validate/substitute.ts';

test('substitutes values, defaults and escapes, and lists what has no value', () => {
  const doc = { kind: 'X', spec: { a: '${A}', b: 'pre-${B}-post', c: '${C:=three}', d: '$${D}', e: ['${E}'], f: '${F:-six}', g: '$notbraced' } };
  const unresolved = substitute(doc, new Map([['A', 'one']]));
  assert.equal(doc.spec, { a: 'one', b: 'pre--post', c: 'three', d: '${D}', e: [''], f: 'six', g: '$notbraced' });
  assert.equal(unresolved, [{ name: 'B', field: 'spec.b', path: ['spec', 'b'] }, { name: 'E', field: 'spec.e[0]', path: ['spec', 'e', 0] }]);
});

test('an unresolved reference in a key is reported at the key as written', () => {
  const doc = { data: { '${K}-x': 'v', ok: 'fine' } };
  assert.equal(substitute(doc, new Map()), [{ name: 'K', field: 'data.${K}-x', path: ['data', '${K}-x'] }]);
  assert.equal(doc.data, { '-x': 'v', ok: 'fine' });
});

test('a whole-value reference takes the type of its value, as in the YAML text', () => {
  const doc = { spec: { replicas: '${N}', enabled: '${ON}', name: '${N}-x' } };
  substitute(doc, new Map([['N', '3'], ['ON', 'true']]));
  assert.equal(doc.spec, { replicas: 3, enabled: true, name: '3-x' });
});

test('commonMetadata adds labels and annotations; the disabled marker is read from both', () => {
  const doc: Record<string, unknown> = { metadata: { labels: { a: '1' } } };
  applyCommonMetadata(doc, { labels: { team: 'x' }, annotations: { note: 'y' } });
  assert.equal(doc.metadata, { labels: { a: '1', team: 'x' }, annotations: { note: 'y' } });
  assert.ok(substitutionDisabled({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } }));
  assert.not.ok(substitutionDisabled({ metadata: {} }));
});

test.run();
