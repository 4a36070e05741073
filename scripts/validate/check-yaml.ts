// Check 1: YAML syntax and duplicate keys in every YAML file of the tree (and every YAML file a
// Flux Kustomization builds from elsewhere in the repository).
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

// The problem moved onto the file's last line when the parser put it past the end (an unclosed
// `[` is reported on the line after the last one): an annotation there would not be shown.
function withinFile(problem: YamlProblem, text: string): YamlProblem {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (problem.line <= lines.length) return problem;
  const last = lines[lines.length - 1].replace(/\r$/, '');
  return { ...problem, line: lines.length, column: last.length + 1 };
}
