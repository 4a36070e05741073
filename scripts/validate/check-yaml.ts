// Check 1: YAML syntax and duplicate keys in every YAML file of the tree (and every YAML file a
// Flux Kustomization builds from elsewhere in the repository).
import type { FluxKustomization } from '../gitops/flux.ts';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { describeObject, type Tree } from '../gitops/tree.ts';
import { at, isObj, type Obj, type YamlProblem } from '../gitops/yaml.ts';
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
    const text = tree.text(file) ?? '';
    // One mistake may give several errors at one place (a mis-indented line): the parser's first says it.
    const places = new Set<string>();
    for (const found of parsed.problems) {
      const problem = withinFile(found, text);
      const place = `${problem.line}:${problem.column}`;
      if (places.has(place)) continue;
      places.add(place);
      if (problem.code === 'DUPLICATE_KEY') {
        const key = duplicateKeyAt(text, problem);
        findings.push({
          severity: 'error',
          check: 'yaml',
          rule: 'yaml/duplicate-key',
          file,
          line: problem.line,
          ...(key?.object ? { object: key.object } : {}),
          message: `duplicate key${key ? ` "${key.key}"${key.parent ? ` in ${key.parent}` : ''}` : ''} (column ${problem.column}): ${problem.message}`,
          hint: 'keep one of the keys: the API server would reject or silently drop the other',
        });
      } else {
        findings.push({
          severity: 'error', check: 'yaml', rule: 'yaml/syntax', file, line: problem.line,
          message: `YAML syntax error (column ${problem.column}): ${problem.message}`, hint: 'fix the YAML at this line',
        });
      }
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
    message: `not built: ${first}${more.length > 0 ? ` and ${more.length} more have` : ' has'} YAML errors; its objects are not checked`,
    hint: 'fix the YAML errors, then run validate again',
  };
}

// The problem moved onto the end of the file's last line that is not blank when the parser put it
// past that (an unclosed `[` or quote is reported on the line after the last one, or on a trailing
// blank line): an annotation there would not be shown, or would point at nothing. A final newline
// ends the last line, as in an editor, and starts no new one.
function withinFile(problem: YamlProblem, text: string): YamlProblem {
  const lines = text.split('\n');
  let last = lines.length;
  while (last > 0 && lines[last - 1].trim() === '') last--;
  if (last === 0 || problem.line <= last) return problem;
  return { ...problem, line: last, column: lines[last - 1].trimEnd().length + 1 };
}

// The key the parser reported as duplicated at `problem`, the path of the mapping holding it
// (`spec.template`; empty at the top) and its document's object, from a parse that lets keys repeat.
function duplicateKeyAt(text: string, problem: YamlProblem): { key: string; parent: string; object?: string } | undefined {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const find = (node: unknown, path: string): { key: string; parent: string } | undefined => {
    if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        const found = find(item, `${path}[${i}]`);
        if (found) return found;
      }
    }
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const start = pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
      if (start?.line === problem.line && start.col === problem.column) return { key, parent: path };
      const found = find(pair.value, path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  };
  for (const doc of Array.isArray(parsed) ? parsed : []) {
    const found = find(doc.contents, '');
    if (!found) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      value = undefined;
    }
    // A repeated kind, name or namespace leaves the object unknown.
    const identity = (found.parent === '' && found.key === 'kind') || (found.parent === 'metadata' && ['name', 'namespace'].includes(found.key));
    const named = !identity && isObj(value) && typeof value.kind === 'string' && typeof at(value, 'metadata', 'name') === 'string';
    return { ...found, object: named ? describeObject(value as Obj) : undefined };
  }
  return undefined;
}
