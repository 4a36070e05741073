// Check 1: YAML syntax and duplicate keys in every YAML file of the tree (and every YAML file a
// Flux Kustomization builds from elsewhere in the repository).
import type { Tree } from '../gitops/tree.ts';
import type { NewFinding } from './findings.ts';

// The findings of `files`; the files with problems are returned too, so their builds can be skipped.
export function checkYaml(tree: Tree, files: Iterable<string>): { findings: NewFinding[]; broken: Set<string> } {
  const findings: NewFinding[] = [];
  const broken = new Set<string>();
  for (const file of files) {
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
