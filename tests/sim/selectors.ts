// Label and field selectors as list and watch requests carry them.
import { badRequest } from './errors.ts';
import type { ResourceType } from './resources.ts';
import { isJsonObject, type KubeObject, type LabelSelector } from './kube.ts';

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!='; values: string[] };
export type Selector = (obj: KubeObject) => boolean;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseLabelRequirement(term: string): Requirement {
  let m = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
  m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] };
  if (/^![^\s!=]+$/.test(term)) return { key: term.slice(1), op: '!exists', values: [] };
  if (/^[^\s!=()]+$/.test(term)) return { key: term, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

function matches(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'exists': return value !== undefined;
    case '!exists': return value === undefined;
    case '=': case 'in': return value !== undefined && req.values.includes(value);
    case '!=': case 'notin': return value === undefined || !req.values.includes(value);
  }
}

// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; an empty selector matches everything.
export function labelSelector(text: string | undefined): Selector {
  if (!text) return () => true;
  const reqs = splitTopLevel(text).map(parseLabelRequirement);
  return (obj) => reqs.every((r) => matches(r, obj.metadata?.labels?.[r.key]));
}

// The label selector string of a Deployment-style `matchLabels`/`matchExpressions` selector.
export function selectorString(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const op = String(e.operator).toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

const FIELD_LABELS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
    'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Service: ['spec.clusterIP', 'spec.type'],
};

function fieldValue(obj: KubeObject, path: string): string {
  if (path === 'source') return obj.source?.component ?? '';
  const v = path.split('.').reduce<unknown>((o, k) => (isJsonObject(o) ? o[k] : undefined), obj);
  return v === undefined || v === null ? '' : String(v);
}

// Parses `metadata.name=x,status.phase!=Running`; unsupported fields fail like the API server does.
export function fieldSelector(rt: ResourceType, text: string | undefined): Selector {
  if (!text) return () => true;
  const reqs = splitTopLevel(text).map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const key = m[1].trim();
    const allowed = ['metadata.name', 'metadata.namespace', ...(rt.builtin ? FIELD_LABELS[rt.kind] ?? [] : [])];
    if (!allowed.includes(key)) throw badRequest(`field label not supported: ${key}`);
    return { key, neg: m[2] === '!=', value: m[3].trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.key) === r.value) !== r.neg);
}
