// A small valid GitOps tree for validate's tests (one cluster, dev, with its settings): flux-system syncs
// clusters/dev, which defines Kustomizations `sources` (a HelmRepository) and `apps` (a HelmRelease
// and a ConfigMap), apps depending on sources. Tests replace single files to provoke one finding.
import { execFile } from 'node:child_process';
import { validate, type ValidateOptions } from '../../../scripts/validate/validate.ts';
import type { KustomizeRunner } from '../../../scripts/validate/build.ts';
import type { Finding, ValidateResult } from '../../../scripts/validate/findings.ts';
import { removeDir, testdir, type FileTree } from '../../helpers/testdir.ts';

// The real `kubectl kustomize`, without the task runner (tests/tasks/validate.test.ts runs the task itself).
export const kubectlKustomize: KustomizeRunner = (dir) =>
  new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir, '--load-restrictor', 'LoadRestrictionsNone'], { maxBuffer: 256 << 20, env: { PATH: process.env.PATH, HOME: dir } },
      (error, stdout, stderr) => resolve(error ? { ok: false, message: stderr || error.message } : { ok: true, stdout }));
  });

export const kustomization = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

// A Flux Kustomization; `spec` lines are appended to its spec (indented by two spaces).
export const fluxKustomization = (name: string, path: string, ...spec: string[]) =>
  [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    `  name: ${name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    `  path: ${path}`,
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    ...spec.map((line) => `  ${line}`),
  ].join('\n') + '\n';

export const configMap = (name: string, namespace: string, ...data: string[]) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n${data.map((d) => `  ${d}\n`).join('') || '  a: "1"\n'}`;

export const helmRelease = (version: string) =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: podinfo',
    '  namespace: apps',
    'spec:',
    '  interval: 10m',
    '  chart:',
    '    spec:',
    '      chart: podinfo',
    ...(version ? [`      version: "${version}"`] : []),
    '      sourceRef:',
    '        kind: HelmRepository',
    '        name: podinfo',
    '        namespace: flux-system',
  ].join('\n') + '\n';

// clusters/dev/settings.yaml as the tasks need it (validate warns when it is missing).
export const SETTINGS = 'context: kind-dev\ntier: staging\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: false\n';

export const BASE: FileTree = {
  'clusters/dev/settings.yaml': SETTINGS,
  'clusters/dev/kustomization.yaml': kustomization('flux-system', 'apps.yaml'),
  'clusters/dev/flux-system/kustomization.yaml': kustomization('gotk-sync.yaml'),
  'clusters/dev/flux-system/gotk-sync.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  ref:\n    branch: main\n  url: ssh://git@example.com/repo\n---\n' +
    fluxKustomization('flux-system', './clusters/dev'),
  'clusters/dev/apps.yaml': fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources'),
  'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml'),
  'infrastructure/sources/podinfo.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: https://stefanprodan.github.io/podinfo\n',
  'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml'),
  'infrastructure/apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
  'infrastructure/apps/release.yaml': helmRelease('6.5.0'),
  'infrastructure/apps/config.yaml': configMap('settings', 'apps'),
};

// Validates BASE with `changes` (a file set to undefined is left out) in a temporary directory,
// without the result caches unless `options` turn them on.
export async function validateTree(changes: Record<string, string | undefined> = {}, options: Partial<ValidateOptions> = {}): Promise<ValidateResult> {
  const files: FileTree = {};
  for (const [path, text] of Object.entries({ ...BASE, ...changes })) if (text !== undefined) files[path] = text;
  const dir = testdir(files);
  try {
    return await validate({ root: dir, kustomize: kubectlKustomize, jobs: 1, cache: false, ...options });
  } finally {
    removeDir(dir);
  }
}

// The findings as `severity rule file:line` lines, the short form tests compare first.
export const brief = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.severity} ${f.rule} ${f.file}:${f.line}`);
