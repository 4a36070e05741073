// The synthetic GitOps tree the validate bench measures: one cluster (bench) whose flux-system
// syncs clusters/bench, which defines `apps` Flux Kustomizations; each builds an overlay
// (infrastructure/overlays/app-N: its namespace, a patch, one more ConfigMap) on its own base
// (infrastructure/base/app-N: a ServiceAccount, a Deployment, a Service and `configMaps` ConfigMaps).
export type BenchTreeOptions = { apps: number; configMaps: number };

const kustomization = (lines: string[]) => ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', ...lines].join('\n') + '\n';

// The files of the tree, repo-relative path → text.
export function benchTree({ apps, configMaps }: BenchTreeOptions): Record<string, string> {
  const files: Record<string, string> = {
    '.gitignore': 'tmp/\n',
    'clusters/bench/settings.yaml': 'context: bench\ntier: staging\ngithub:\n  owner: example\n  repository: bench\n  branch: main\n  personal: false\n',
    'clusters/bench/kustomization.yaml': kustomization(['resources:', '  - flux-system', '  - apps.yaml']),
    'clusters/bench/flux-system/kustomization.yaml': kustomization(['resources:', '  - gotk-sync.yaml']),
    'clusters/bench/flux-system/gotk-sync.yaml': [
      'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', '  namespace: flux-system',
      'spec:', '  interval: 1m0s', '  ref:', '    branch: main', '  url: ssh://git@example.com/bench', '---',
      ...fluxKustomization('flux-system', './clusters/bench', []),
    ].join('\n') + '\n',
  };
  const ks: string[] = [];
  for (let i = 0; i < apps; i++) {
    const app = `app-${String(i).padStart(3, '0')}`;
    ks.push(...(i > 0 ? ['---'] : []), ...fluxKustomization(app, `./infrastructure/overlays/${app}`, i > 0 ? ['  dependsOn:', `    - name: app-${String(i - 1).padStart(3, '0')}`] : []));
    files[`infrastructure/base/${app}/kustomization.yaml`] = kustomization(['resources:', '  - serviceaccount.yaml', '  - deployment.yaml', '  - service.yaml', '  - config.yaml']);
    files[`infrastructure/base/${app}/serviceaccount.yaml`] = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${app}\n`;
    files[`infrastructure/base/${app}/deployment.yaml`] = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${app}`, '  labels:', `    app: ${app}`, 'spec:', '  replicas: 1',
      '  selector:', '    matchLabels:', `      app: ${app}`, '  template:', '    metadata:', '      labels:', `        app: ${app}`, '    spec:',
      `      serviceAccountName: ${app}`, '      containers:', '        - name: web', '          image: ghcr.io/example/web:1.0.0',
      '          ports:', '            - containerPort: 8080', '          resources:', '            requests:', '              cpu: 10m', '              memory: 32Mi',
    ].join('\n') + '\n';
    files[`infrastructure/base/${app}/service.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
    files[`infrastructure/base/${app}/config.yaml`] = Array.from({ length: configMaps }, (_, j) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-config-${j}\ndata:\n  key: "value ${j}"\n  other: "${app}"\n`).join('---\n');
    files[`infrastructure/overlays/${app}/kustomization.yaml`] = kustomization([
      `namespace: ${app}`, 'resources:', '  - namespace.yaml', `  - ../../base/${app}`, '  - extra.yaml',
      'patches:', '  - target:', '      kind: Deployment', '    patch: |-', '      - op: replace', '        path: /spec/replicas', '        value: 2',
    ]);
    files[`infrastructure/overlays/${app}/namespace.yaml`] = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${app}\n`;
    files[`infrastructure/overlays/${app}/extra.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-overlay\ndata:\n  overlay: "true"\n`;
  }
  files['clusters/bench/apps.yaml'] = ks.join('\n') + '\n';
  return files;
}

function fluxKustomization(name: string, path: string, extra: string[]): string[] {
  return [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', `  name: ${name}`, '  namespace: flux-system',
    'spec:', '  interval: 10m', `  path: ${path}`, '  prune: true', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', ...extra,
  ];
}
