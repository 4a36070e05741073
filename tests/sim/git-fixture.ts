// For tests of the Git-following simulator: a GitOps repository in a temporary git repository with
// a bare `origin` the simulated GitRepository follows (file://), commits pushed like a person
// pushes them, a small cluster tree (infra → apps with a Deployment), and a wait for the
// simulated controllers.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { git, gitdir, removeDir, testdir, writeTree, type FileTree } from '../helpers/testdir.ts';

export type GitOpsRepo = {
  // The working clone (the repository root the tasks run in); its `origin` is `bare`.
  work: string;
  bare: string;
  // file:// URL of the bare repository, for the GitRepository.
  url: string;
  // Writes (null: deletes) files, commits and pushes to origin; returns the new sha.
  push(files: Record<string, string | null>, message?: string): string;
  head(): string;
  remove(): void;
};

// A repository holding `files` (the first commit, pushed to a fresh bare origin on branch main).
export function gitOpsRepo(files: FileTree | ((url: string) => FileTree)): GitOpsRepo {
  const bare = testdir();
  git(bare, 'init', '-q', '--bare', '-b', 'main');
  const url = pathToFileURL(bare).href;
  const work = gitdir(typeof files === 'function' ? files(url) : files);
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'push', '-q', 'origin', 'main');
  git(work, 'fetch', '-q', 'origin');
  const head = () => git(work, 'rev-parse', 'HEAD');
  return {
    work, bare, url, head,
    push(changes, message = 'change') {
      const written: FileTree = {};
      for (const [path, content] of Object.entries(changes)) {
        if (content === null) rmSync(join(work, path), { force: true });
        else written[path] = content;
      }
      writeTree(work, written);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      git(work, 'push', '-q', 'origin', 'main');
      return head();
    },
    remove() {
      removeDir(work);
      removeDir(bare);
    },
  };
}

export const gitRepository = (url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ${url}
`;

export const fluxKustomization = (name: string, path: string, extra: string[] = []) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m0s
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra.map((line) => `  ${line}\n`).join('')}`;

export const deployment = (name: string, namespace: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

export const configMap = (name: string, namespace: string, data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"\n`).join('')}`;

export const GOOD_IMAGE = 'ghcr.io/stefanprodan/podinfo:6.7.1';
export const CRASHING_IMAGE = 'ghcr.io/stefanprodan/podinfo:crashloop';

// clusters/<cluster>: the flux-system sync, infra (namespace apps) and apps (wait: true, after infra):
// a Deployment podinfo and a ConfigMap settings in namespace apps.
export function clusterTree(url: string, cluster = 'dev'): FileTree {
  return {
    [`clusters/${cluster}/kustomization.yaml`]: 'resources:\n  - flux-system\n  - infra.yaml\n  - apps.yaml\n',
    [`clusters/${cluster}/flux-system/kustomization.yaml`]: 'resources:\n  - gotk-sync.yaml\n',
    [`clusters/${cluster}/flux-system/gotk-sync.yaml`]: `${gitRepository(url)}---\n${fluxKustomization('flux-system', `./clusters/${cluster}`)}`,
    [`clusters/${cluster}/infra.yaml`]: fluxKustomization('infra', './infra'),
    [`clusters/${cluster}/apps.yaml`]: fluxKustomization('apps', './apps', ['wait: true', 'timeout: 2m', 'dependsOn:', '  - name: infra']),
    [`clusters/${cluster}/settings.yaml`]: `context: sim\ntier: staging\ngithub:\n  owner: acme\n  repository: fleet\n  branch: main\n  personal: false\n`,
    'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    'apps/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - settings.yaml\n',
    'apps/deployment.yaml': deployment('podinfo', 'apps', GOOD_IMAGE),
    'apps/settings.yaml': configMap('settings', 'apps', { colour: 'blue' }),
  };
}

// Polls `check` until it returns a value other than undefined/false; throws with `what` after `limitMs`.
export async function waitFor<T>(what: string, check: () => T | undefined | false, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
