// The one YAML loader for the GitOps tree: every document of a file with the line it starts on,
// and every syntax error (duplicate keys included) with its line and column.
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { readBlockYaml } from './yaml-block.ts';

export type Obj = Record<string, unknown>;

export type YamlDocument = {
  // 0-based position of the document in its file.
  index: number;
  // 1-based line of the document's first content (after `---` and leading comments).
  line: number;
  value: unknown;
};

export type YamlProblem = { line: number; column: number; code: string; message: string };

export type YamlFile = {
  file: string;
  documents: YamlDocument[];
  problems: YamlProblem[];
  // The 1-based line of the value at `path` in document `index`, or undefined when it is not there.
  lineOf(index: number, path: readonly (string | number)[]): number | undefined;
};

export const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

// Reads a nested field, or undefined when any step is missing.
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObj(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

// Parses `text` (the file `file`); documents with errors are still listed, their problems reported.
// Block-style YAML is read by yaml-block.ts; positions inside a document then come from a full
// parse, made only when asked for.
export function parseYamlFile(file: string, text: string): YamlFile {
  const block = readBlockYaml(text);
  if (!block) return parseWithPositions(file, text);
  let full: YamlFile | undefined;
  return {
    file,
    documents: block.map(({ line, value }, index) => ({ index, line, value })),
    problems: [],
    lineOf: (index, path) => (full ??= parseWithPositions(file, text)).lineOf(index, path),
  };
}

function parseWithPositions(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const problems: YamlProblem[] = [];
  const documents: YamlDocument[] = [];
  docs.forEach((doc, index) => {
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      problems.push({ line, column: col, code: error.code, message: firstLine(error.message) });
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    let value: unknown;
    try {
      value = doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const { line, col } = lineCounter.linePos(start);
      problems.push({ line, column: col, code: 'INVALID', message: error instanceof Error ? error.message : String(error) });
    }
    documents.push({ index, line: lineCounter.linePos(start).line, value });
  });
  // The line of the key of the last path step (a map entry), else of the value.
  const lineOf = (index: number, path: readonly (string | number)[]): number | undefined => {
    const doc = docs[index];
    if (!doc) return undefined;
    const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]));
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  return { file, documents, problems, lineOf };
}

// The object documents of a parsed file (null documents, lists and scalars left out).
export function objectsOf(yaml: YamlFile): { doc: Obj; line: number; index: number }[] {
  return yaml.documents.flatMap((d) => (isObj(d.value) ? [{ doc: d.value, line: d.line, index: d.index }] : []));
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
