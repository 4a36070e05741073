import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brief, configMap, helmRelease, kustomization, validateTree } from './fixture.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'validate-schema-cache-'));
test.after(() => rmSync(cacheDir, { recursive: true, force: true }));

test('a Flux object that breaks its schema is an error at the field', async () => {
  const result = await validateTree({ 'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('  interval: 10m\n', '  interval: 10m\n  timeout: 5\n') });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/release.yaml:8']);
  assert.is(result.findings[0].message, 'spec.timeout: must be string');
});

test('a core object missing a required field is an error', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  ports:\n    - name: http\n' });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/config.yaml:8']);
  assert.is(result.findings[0].message, 'spec.ports.0: must have required property \'port\'');
});

test('unknown fields of core and Flux kinds are errors at their line; free-form values are not checked', async () => {
  const result = await validateTree({
    'infrastructure/apps/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\n  label:\n    a: b\ndata:\n  a: "1"\n',
    'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('  interval: 10m\n', '  interval: 10m\n  values:\n    anything: {deep: 1}\n  intervall: 5m\n'),
  });
  assert.equal(brief(result.findings), ['error schema/unknown-field infrastructure/apps/config.yaml:6', 'error schema/unknown-field infrastructure/apps/release.yaml:10']);
  assert.equal(result.findings.map((f) => f.message), ['metadata.label: unknown field', 'spec.intervall: unknown field']);
});

test('Gateway API objects are checked against @kubernetes-models/gateway-api: a wrong type and an unknown field at their line', async () => {
  const gatewayClass = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: envoy\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n';
  const gateway = [
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata:', '  name: public', '  namespace: apps', 'spec:', '  gatewayClassName: envoy', '  listeners:',
    '    - name: http', '      protocol: HTTP', '      port: "80"',
  ].join('\n') + '\n';
  const route = [
    'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: web', '  namespace: apps', 'spec:', '  parentRefs:', '    - name: public',
    '  rules:', '    - backendRefs:', '        - name: web', '          port: 80', '          weigth: 1',
  ].join('\n') + '\n';
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'gatewayclass.yaml', 'gateway.yaml', 'route.yaml'),
    'infrastructure/apps/gatewayclass.yaml': gatewayClass,
    'infrastructure/apps/gateway.yaml': gateway,
    'infrastructure/apps/route.yaml': route,
  });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/gateway.yaml:11', 'error schema/unknown-field infrastructure/apps/route.yaml:13']);
  assert.equal(result.findings.map((f) => f.message), ['spec.listeners.0.port: must be integer', 'spec.rules.0.backendRefs.0.weigth: unknown field']);
  assert.equal(result.summary.withoutSchema, {});
});

test('a removed Kubernetes API version is named with its replacement', async () => {
  const result = await validateTree({ 'infrastructure/apps/config.yaml': 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: apps\n' });
  assert.equal(brief(result.findings), ['error schema/removed-api infrastructure/apps/config.yaml:1']);
  assert.is(result.findings[0].message, 'extensions/v1beta1 Ingress is removed from Kubernetes in 1.22: use networking.k8s.io/v1');
  assert.equal(result.summary.withoutSchema, {});
});

test('a deprecated Flux API version is a warning naming flux migrate', async () => {
  const result = await validateTree({ 'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2') });
  assert.equal(brief(result.findings), ['warning schema/deprecated-api infrastructure/apps/release.yaml:1']);
  assert.is(result.findings[0].message, 'helm.toolkit.fluxcd.io/v2beta2 HelmRelease is deprecated by Flux; `flux migrate` rewrites it: use helm.toolkit.fluxcd.io/v2');
});

test('objects of a CRD defined in the repository are checked against it, unknown fields rejected; others are counted without schema', async () => {
  const crd = [
    'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:', '  group: example.com',
    '  names: {kind: Widget, plural: widgets}', '  scope: Namespaced', '  versions:', '    - name: v1', '      served: true', '      storage: true', '      schema:',
    '        openAPIV3Schema:', '          type: object', '          properties:', '            spec:', '              type: object', '              properties:',
    '                size: {type: integer}', '                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}',
  ].join('\n') + '\n';
  const widget = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\nspec:\n${spec}`;
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'crd.yaml', 'widget.yaml', 'gadget.yaml'),
    'infrastructure/apps/crd.yaml': crd,
    'infrastructure/apps/widget.yaml': widget('  size: 3\n  colour: red\n  extra:\n    anything: 1\n'),
    'infrastructure/apps/gadget.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n  namespace: apps\n',
    'infrastructure/apps/config.yaml': configMap('settings', 'apps'),
  }, { cacheDir });
  assert.equal(brief(result.findings), ['error schema/unknown-field infrastructure/apps/widget.yaml:8']);
  assert.is(result.findings[0].message, 'spec.colour: unknown field');
  assert.equal(result.summary.withoutSchema, { 'example.com/v1 Gadget': 1 });
  assert.equal(result.summary.withoutSchemaObjects, [{ kind: 'example.com/v1 Gadget', object: 'Gadget apps/g', file: 'infrastructure/apps/gadget.yaml', line: 1, clusters: ['dev'] }]);
});

test('a null field of a repository CRD\'s object is unset unless nullable: a null required field is missing, a null unknown field still unknown', async () => {
  const crd = [
    'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:', '  group: example.com',
    '  names: {kind: Widget, plural: widgets}', '  scope: Namespaced', '  versions:', '    - name: v1', '      served: true', '      storage: true', '      schema:',
    '        openAPIV3Schema:', '          type: object', '          properties:', '            spec:', '              type: object', '              required: [name]',
    '              properties:', '                name: {type: string}', '                size: {type: integer, nullable: true}',
    '                tls: {type: object, properties: {secretName: {type: string}}}', '                labels: {type: object, additionalProperties: {type: string}}',
  ].join('\n') + '\n';
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'crd.yaml', 'widget.yaml'),
    'infrastructure/apps/crd.yaml': crd,
    'infrastructure/apps/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\nspec:\n  name:\n  size: null\n  tls:\n  labels:\n    a:\n  colour:\n',
  }, { cacheDir });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/widget.yaml:6', 'error schema/unknown-field infrastructure/apps/widget.yaml:12']);
  assert.equal(result.findings.map((f) => f.message), ['spec: must have required property \'name\'', 'spec.colour: unknown field']);
  assert.is(result.exitCode, 1);
});

test('a null field of a built-in kind is unset: no type error, a null required field is missing, a null unknown field still unknown', async () => {
  const deployment = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  namespace: apps', '  label:', 'spec:', '  replicas:', '  selector:', '    matchLabels:',
    '      app: web', '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:', '        - name: web', '          image: nginx',
    '          env:', '            - name:', '              value: x',
  ].join('\n') + '\n';
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'deployment.yaml'),
    'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a:', 'b: "2"'),
    'infrastructure/apps/deployment.yaml': deployment,
  });
  assert.equal(brief(result.findings), ['error schema/unknown-field infrastructure/apps/deployment.yaml:6', 'error schema/invalid infrastructure/apps/deployment.yaml:21']);
  assert.equal(result.findings.map((f) => f.message), ['metadata.label: unknown field', 'spec.template.spec.containers.0.env.0: must have required property \'name\'']);
  assert.is(result.exitCode, 1);
});

test.run();
