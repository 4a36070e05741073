// A GitRepository whose URL is a local repository (`file://…`), as source-controller and
// kustomize-controller see it: the head of its branch (or tag), the tree at a commit (checked out
// once per commit), and a path built with `kubectl kustomize` the way Flux builds it (a path
// without a kustomization file gets one listing every manifest below it).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { isJsonObject, type KubeObject } from './kube.ts';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

// Whether a GitRepository URL is a local repository the simulator can follow.
export function isLocalGitUrl(url: unknown): url is string {
  return typeof url === 'string' && url.startsWith('file://');
}

export type GitRef = { branch?: string; tag?: string };
export type Fetched = { revision: string; sha: string } | { error: string };

function runGit(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
}

function firstErrorLine(error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message ?? error);
  return stderr.split('\n').map((l) => l.replace(/^fatal: /, '').trim()).find(Boolean) ?? 'git failed';
}

// The commit the ref points at, as source-controller records it: `<branch>@sha1:<sha>`
// (`<tag>@sha1:<sha>` for a tag); an error worded like source-controller's when it cannot.
export function fetchRevision(url: string, ref: GitRef = {}): Fetched {
  const name = ref.tag ?? ref.branch ?? 'master';
  const full = ref.tag ? `refs/tags/${ref.tag}` : `refs/heads/${name}`;
  const failure = (why: string) => ({ error: `failed to checkout and determine revision: unable to clone '${url}': ${why}` });
  let listed: string;
  try {
    listed = runGit(['ls-remote', url, full, `${full}^{}`]);
  } catch (error) {
    return failure(firstErrorLine(error));
  }
  const lines = listed.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const peeled = lines.find(([, r]) => r === `${full}^{}`) ?? lines.find(([, r]) => r === full);
  if (!peeled) return failure(`couldn't find remote ref "${full}"`);
  return { revision: `${name}@sha1:${peeled[0]}`, sha: peeled[0] };
}

// Checked-out trees, one folder per repository and commit, removed when the process exits.
export class Checkouts {
  private root: string | undefined;

  // The folder holding the repository's tree at `sha` (checked out on first use).
  treeAt(url: string, sha: string): string {
    if (!this.root) {
      const root = mkdtempSync(join(tmpdir(), 'sim-git-'));
      this.root = root;
      process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    }
    const dir = join(this.root, createHash('sha1').update(url).digest('hex').slice(0, 12), sha);
    if (existsSync(dir)) return dir;
    const tar = execFileSync('git', ['-C', repoPath(url), 'archive', '--format=tar', sha], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    return dir;
  }

  // Removes every checkout now.
  remove(): void {
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }
}

// The local path of a file:// URL.
export function repoPath(url: string): string {
  return fileURLToPath(url);
}

export type Built = { objects: KubeObject[] } | { error: string };

// Builds `path` of a checked-out tree as kustomize-controller does; errors are worded like its
// ArtifactFailed and BuildFailed messages.
export function buildPath(tree: string, path: string): Built {
  const relativePath = path.replace(/^\.\//, '').replace(/\/$/, '') || '.';
  const dir = join(tree, relativePath);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { error: `kustomization path not found: stat ${dir}: no such file or directory` };
  if (!KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, f)))) generateKustomization(dir);
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error).trim().replace(/^error: /, '');
    return { error: `kustomize build failed: ${stderr.split(tree + '/').join('')}` };
  }
  const objects = parseAllDocuments(output).map((d): unknown => d.toJS()).filter((o): o is KubeObject => isJsonObject(o) && typeof o.kind === 'string');
  return { objects };
}

// Flux's generated kustomization for a path without one: every manifest below it.
function generateKustomization(dir: string): void {
  const resources = manifestFiles(dir).map((file) => relative(dir, file));
  writeFileSync(join(dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `- ${r}\n`).join('')}`);
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifestFiles(path);
    if (!/\.ya?ml$/.test(name)) return [];
    return /^\s*kind:/m.test(readFileSync(path, 'utf8')) && /^\s*apiVersion:/m.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}
