// Check 1: YAML syntax and duplicate keys in every YAML file of the tree (and every YAML file a
// Flux Kustomization builds from elsewhere in the repository).
import type { FluxKustomization } from '../gitops/flux.ts';
import type { Tree } from '../gitops/tree.ts';
import type { YamlProblem } from '../gitops/yaml.ts';
import type { NewFinding } from './findings.ts';

// The findings of `files`; the files with problems are returned too, so their builds can be skipped.
// NOTE: it yields to the event loop every few files, so the kubectl builds started before it are
// fed their next batches while it parses.
export async function checkYaml(tree: Tree, files: Iterable<string>): Promise<{ findings: NewFinding[]; broken: Set<string> }> {
  const findings: NewFinding[] = [];
  const broken = new Set<string>();
  let count = 0;
  for (const file of files) {
    if (++count % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    const parsed = tree.yaml(file);
    if (!parsed || parsed.problems.length === 0) continue;
    broken.add(file);
    for (const found of parsed.problems) {
      const problem = withinFile(found, tree.text(file) ?? '');
      const duplicate = problem.code === 'DUPLICATE_KEY';
      findings.push({
        severity: 'error',
        check: 'yaml',
        rule: duplicate ? 'yaml/duplicate-key' : 'yaml/syntax',
        file,
        line: problem.line,
        message: duplicate ? `duplicate key (column ${problem.column}): ${problem.message}` : `YAML syntax error (column ${problem.column}): ${problem.message}`,
        hint: duplicate ? 'keep one of the keys: the API server would reject or silently drop the other' : 'fix the YAML at this line',
      });
    }
  }
  return { findings, broken };
}

// The warning for a Flux Kustomization not built because files it reads (`broken`) have YAML
// errors, each reported by checkYaml: nothing else would say that its objects were not checked.
export function skippedBuild(tree: Tree, kustomization: FluxKustomization, cluster: string, broken: readonly string[]): NewFinding {
  const { file, index, line } = kustomization.manifest;
  const [first, ...more] = [...broken].sort();
  return {
    severity: 'warning',
    check: 'build',
    rule: 'build/skipped',
    file,
    line: tree.yaml(file)?.lineOf(index, ['spec', 'path']) ?? line,
    object: `Kustomization ${kustomization.id}`,
    kustomization: kustomization.id,
    clusters: [cluster],
    message: `Kustomization ${kustomization.id} was not built: ${first}${more.length > 0 ? ` and ${more.length} more have` : ' has'} YAML errors (above); its objects are not checked`,
    hint: 'fix the YAML errors, then run validate again',
  };
}

// The problem moved onto the file's last line when the parser put it past the end (an unclosed
// `[` is reported on the line after the last one): an annotation there would not be shown.
function withinFile(problem: YamlProblem, text: string): YamlProblem {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (problem.line <= lines.length) return problem;
  const last = lines[lines.length - 1].replace(/\r$/, '');
  return { ...problem, line: lines.length, column: last.length + 1 };
}
