// What validate reports: findings (file, line, object, what is wrong, what to do) and a summary.
// The JSON format prints these types as they are, so their shape is the documented contract.

export type Severity = 'error' | 'warning';
export type Check = 'yaml' | 'build' | 'schema' | 'graph' | 'policy';

export type Finding = {
  severity: Severity;
  check: Check;
  // A stable id of what is wrong, `<check>/<name>` (e.g. `yaml/duplicate-key`).
  rule: string;
  // Repo-relative, posix separators.
  file: string;
  // 1-based.
  line: number;
  // `Kind namespace/name` when the finding is about one object.
  object?: string;
  // `namespace/name` of the Flux Kustomization whose build showed it.
  kustomization?: string;
  // The clusters it was found in (sorted); empty for findings about files alone.
  clusters: string[];
  message: string;
  // What to do about it.
  hint: string;
};

export type Summary = {
  clusters: number;
  kustomizations: number;
  // Kustomizations whose build was reused from the cache (0 on a cold run).
  cached: number;
  objects: number;
  errors: number;
  warnings: number;
  // Objects no schema covers: `apiVersion Kind` → how many.
  withoutSchema: Record<string, number>;
  // Where they are: each object once (sorted by file, line, kind and object), at most
  // MAX_WITHOUT_SCHEMA_OBJECTS of them; `withoutSchema` keeps the total.
  withoutSchemaObjects: WithoutSchemaObject[];
  durationMs: number;
};

// An object no schema covers: `apiVersion Kind`, `Kind namespace/name`, where it is written, and
// the clusters it was built for (sorted; empty for a standalone manifest).
export type WithoutSchemaObject = { kind: string; object: string; file: string; line: number; clusters: string[] };

export type ValidateResult = {
  findings: Finding[];
  summary: Summary;
  // 0 clean, 1 errors (or warnings with strict).
  exitCode: 0 | 1;
};

export type NewFinding = Omit<Finding, 'clusters'> & { clusters?: string[] };

// Findings sorted by file, line, rule and message, with repeats (the same finding from several
// clusters or builds) merged into one listing every cluster.
export function mergeFindings(findings: readonly NewFinding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const key = [finding.severity, finding.rule, finding.file, finding.line, finding.object ?? '', finding.message].join('\u0000');
    const existing = byKey.get(key);
    if (existing) {
      existing.clusters = [...new Set([...existing.clusters, ...(finding.clusters ?? [])])].sort();
      if (existing.kustomization !== finding.kustomization) existing.kustomization = existing.kustomization ?? finding.kustomization;
    } else byKey.set(key, { ...finding, clusters: [...new Set(finding.clusters ?? [])].sort() });
  }
  return [...byKey.values()].sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}

// The most objects without a schema the summary lists.
export const MAX_WITHOUT_SCHEMA_OBJECTS = 50;

// The objects without a schema as the summary lists them: the same object from several clusters
// once with every cluster, sorted by file, line, kind and object, the first MAX_WITHOUT_SCHEMA_OBJECTS.
export function listWithoutSchema(objects: readonly (Omit<WithoutSchemaObject, 'clusters'> & { cluster?: string })[]): WithoutSchemaObject[] {
  const byKey = new Map<string, WithoutSchemaObject>();
  for (const { cluster, ...o } of objects) {
    const key = [o.file, o.line, o.kind, o.object].join('\u0000');
    const entry = byKey.get(key) ?? { ...o, clusters: [] };
    if (cluster && !entry.clusters.includes(cluster)) entry.clusters = [...entry.clusters, cluster].sort();
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.kind.localeCompare(b.kind) || a.object.localeCompare(b.object))
    .slice(0, MAX_WITHOUT_SCHEMA_OBJECTS);
}

// The exit code for `findings`: errors fail, warnings fail only with `strict`.
export function exitCodeOf(findings: readonly Finding[], strict: boolean): 0 | 1 {
  return findings.some((f) => f.severity === 'error' || (strict && f.severity === 'warning')) ? 1 : 0;
}
