// Unknown fields of core, Flux and Gateway API kinds. The precompiled validators of the schema
// packages do not reject fields they do not know, so the known fields of each kind are read from
// the same packages' type declarations (`I<Kind>` in `<group>/<version>/<Kind>.d.ts`) with the
// TypeScript compiler, once per kind and package version, and kept as JSON in the cache folder.
// NOTE: the `typescript` package is needed at run time, so it is a dependency, not a devDependency
// (an install with `--omit=dev` would otherwise leave these unknown fields unchecked, silently).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR } from '../core/cache.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';
import { isObj, type Obj } from '../gitops/yaml.ts';
import { SCHEMA_PACKAGES, type SchemaError } from './schemas.ts';

// The known fields as a table of nodes: `p` named fields, `m` the value of any key (a map), `i` the
// items of a list; an empty node is a scalar, and -1 stands for anything (not checked further).
type FieldNode = { p?: Record<string, number>; m?: number; i?: number };
export type FieldTable = { root: number; nodes: (FieldNode | -1)[] };

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const require = createRequire(import.meta.url);

// The unknown fields of `doc` (status and the top-level apiVersion/kind/metadata rules included).
export function unknownFields(table: FieldTable, doc: Obj): SchemaError[] {
  const errors: SchemaError[] = [];
  const walk = (value: unknown, index: number, path: (string | number)[]) => {
    const node = table.nodes[index];
    if (node === -1 || node === undefined) return;
    if (Array.isArray(value)) {
      if (node.i !== undefined) value.forEach((item, i) => walk(item, node.i!, [...path, i]));
      return;
    }
    if (!isObj(value) || (node.p === undefined && node.m === undefined)) return;
    for (const [key, child] of Object.entries(value)) {
      const next = node.p?.[key] ?? node.m;
      if (next === undefined) errors.push({ path: [...path, key], message: 'unknown field' });
      else walk(child, next, [...path, key]);
    }
  };
  walk(doc, table.root, []);
  return errors;
}

// The field tables of `kinds` (`apiVersion Kind`) that the packages declare, from the cache or
// read now; kinds without declarations (or without typescript) are left out.
export function fieldTables(kinds: readonly string[], cacheDir: string = CACHE_DIR): Map<string, FieldTable> {
  const tables = new Map<string, FieldTable>();
  const missing: { key: string; file: string; kind: string; cache: string }[] = [];
  for (const key of kinds) {
    const [apiVersion, kind] = key.split(' ');
    if (!/^[A-Za-z0-9]+$/.test(kind ?? '') || !/^[a-z0-9.-]*\/?[a-z0-9]+$/.test(apiVersion ?? '')) continue;
    const pkg = SCHEMA_PACKAGES.find((p) => existsSync(`${NODE_MODULES}${p}/${apiVersion}/${kind}.d.ts`));
    if (!pkg) continue;
    const cache = join(cacheDir, 'validate-fields', `${createHash('sha256').update(`${pkg}@${versionOf(pkg)} ${key}`).digest('hex').slice(0, 32)}.json`);
    try {
      tables.set(key, JSON.parse(readFileSync(cache, 'utf8')) as FieldTable);
    } catch {
      missing.push({ key, file: `${NODE_MODULES}${pkg}/${apiVersion}/${kind}.d.ts`, kind, cache });
    }
  }
  if (missing.length === 0) return tables;
  let ts: typeof import('typescript');
  try {
    ts = require('typescript') as typeof import('typescript');
  } catch {
    return tables;
  }
  const program = ts.createProgram(missing.map((m) => m.file), {
    noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  for (const { key, file, kind, cache } of missing) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source)?.exports?.get(`I${kind}` as never);
    if (!symbol) continue;
    const table = readTable(ts, checker, checker.getDeclaredTypeOfSymbol(symbol));
    tables.set(key, table);
    try {
      mkdirSync(join(cacheDir, 'validate-fields'), { recursive: true });
      writeFileAtomic(cache, JSON.stringify(table), { flush: false });
    } catch {
      // read-only: read again next time
    }
  }
  return tables;
}

function readTable(ts: typeof import('typescript'), checker: import('typescript').TypeChecker, type: import('typescript').Type): FieldTable {
  const nodes: (FieldNode | -1)[] = [];
  const seen = new Map<import('typescript').Type, number>();
  const visit = (input: import('typescript').Type): number => {
    const types = input.isUnion() ? input.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))) : [input];
    const t = types.length === 1 ? types[0] : undefined;
    if (!t) return types.every((u) => u.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) ? push({}) : push(-1);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return push(-1);
    if (!(t.flags & ts.TypeFlags.Object)) return push({});
    const known = seen.get(t);
    if (known !== undefined) return known;
    const index = push({});
    seen.set(t, index);
    const node: FieldNode = {};
    if (checker.isArrayType(t)) {
      const [item] = checker.getTypeArguments(t as import('typescript').TypeReference);
      node.i = item ? visit(item) : push(-1);
    } else {
      const properties = checker.getPropertiesOfType(t);
      if (properties.length > 0) {
        node.p = {};
        for (const property of properties) node.p[property.getName()] = visit(checker.getTypeOfSymbol(property));
      }
      const indexInfo = checker.getIndexInfosOfType(t)[0];
      if (indexInfo) node.m = visit(indexInfo.type);
      if (properties.length === 0 && !indexInfo) return (nodes[index] = -1), index;
    }
    nodes[index] = node;
    return index;
  };
  const push = (node: FieldNode | -1) => nodes.push(node) - 1;
  return { root: visit(type), nodes };
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(`${NODE_MODULES}${pkg}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
