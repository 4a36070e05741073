import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { goJsonMarshal, goQuote, lastAppliedConfiguration } from '../../../scripts/dashboards/go-json.ts';

test('reproduces the kubectl 1.32.4 annotation for t1.yaml byte for byte', () => {
  const manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'grafana-dashboard-test', namespace: 'logging', labels: { grafana_dashboard: '1' } },
    data: { 'test.json': '{"a": "<b>&amp;</b> \\u2028 ok", "tab": "x\ty"}\n' },
  };
  assert.is(
    lastAppliedConfiguration(manifest),
    '{"apiVersion":"v1","data":{"test.json":"{\\"a\\": \\"\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e \\\\u2028 ok\\", \\"tab\\": \\"x\\ty\\"}\\n"},"kind":"ConfigMap","metadata":{"annotations":{},"labels":{"grafana_dashboard":"1"},"name":"grafana-dashboard-test","namespace":"logging"}}\n',
  );
});

test('reproduces kubectl testdata widget-serverside.yaml', () => {
  const manifest = { apiVersion: 'unit-test.test.com/v1', kind: 'Widget', metadata: { name: 'widget', namespace: 'test', labels: { foo: 'bar' } }, key: 'value' };
  assert.is(
    lastAppliedConfiguration(manifest),
    '{"apiVersion":"unit-test.test.com/v1","key":"value","kind":"Widget","metadata":{"annotations":{},"labels":{"foo":"bar"},"name":"widget","namespace":"test"}}\n',
  );
});

test('reproduces kubectl testdata apply-edit-last-applied-list-fail ConfigMap cm1', () => {
  const manifest = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'cm1', namespace: 'myproject' },
    data: { 'new-data2': 'new-value', 'new-data': 'new-value', foo: 'changed-value', baz: 'qux' },
  };
  assert.is(
    lastAppliedConfiguration(manifest),
    '{"apiVersion":"v1","data":{"baz":"qux","foo":"changed-value","new-data":"new-value","new-data2":"new-value"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cm1","namespace":"myproject"}}\n',
  );
});

test('encodes integers as they are, as the Service testdata with ports needs', () => {
  assert.is(goJsonMarshal({ spec: { ports: [{ port: 81, targetPort: 80 }] } }), '{"spec":{"ports":[{"port":81,"targetPort":80}]}}');
});

test('ignores a pre-filled last-applied value and keeps the other annotations, sorted', () => {
  const manifest = { metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'bogus', zeta: '1', alpha: '2' } } };
  assert.is(lastAppliedConfiguration(manifest), '{"metadata":{"annotations":{"alpha":"2","zeta":"1"},"name":"x"}}\n');
});

test('escapes what Go escapes and nothing else', () => {
  assert.is(goQuote('<>&'), '"\\u003c\\u003e\\u0026"');
  assert.is(goQuote('\u2028\u2029'), '"\\u2028\\u2029"');
  assert.is(goQuote('\b\f\n\r\t\u0000\u001f"\\'), '"\\b\\f\\n\\r\\t\\u0000\\u001f\\"\\\\"');
  assert.is(goQuote('é漢😀\ufeff\u007f\u0085'), '"é漢😀\ufeff\u007f\u0085"');
  assert.is(goQuote('\ud800x\udc00'), '"\\ufffdx\\ufffd"');
});

test('tells escaped backslashes from lone surrogates and keeps surrogate pairs', () => {
  assert.is(goQuote('\\ud800'), '"\\\\ud800"');
  assert.is(goQuote('\\\ud800\\\\\udfff'), '"\\\\\\ufffd\\\\\\\\\\ufffd"');
  assert.is(goQuote('\udbff\udfff \udc00\ud800 \ud800\ud800\udc00'), '"\udbff\udfff \\ufffd\\ufffd \\ufffd\ud800\udc00"');
  assert.is(goQuote('\u0001\u001b\u007f'), '"\\u0001\\u001b\u007f"');
});

test('sorts keys bytewise', () => {
  assert.is(goJsonMarshal({ b: 1, B: 2, a: 3, 'a-b': 4, a_b: 5, é: 6 }), '{"B":2,"a":3,"a-b":4,"a_b":5,"b":1,"é":6}');
});

test('refuses floats, which Go would print differently', () => {
  assert.throws(() => goJsonMarshal({ x: 1.5 }), /not an integer/);
});

test.run();
