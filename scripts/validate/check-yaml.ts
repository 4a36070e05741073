// Check 1: YAML syntax and duplicate keys in every YAML file of the tree (and every YAML file a
// Flux Kustomization builds from elsewhere in the repository).
import type { Tree } from '../gitops/tree.ts';
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
    for (const problem of parsed.problems) {
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
