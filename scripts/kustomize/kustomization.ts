// Adding and removing `resources` entries in a kustomization.yaml while keeping its comments,
// key order and list style. Pure text → text functions, plus thin file wrappers.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { TaskError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
export type TextEdit = { text: string; changed: boolean };
// The scalar entries of a kustomization's `resources` and `bases` lists, in file order.
export type ResourceListing = { resources: string[]; bases: string[] };

const require = createRequire(import.meta.url);
// Loaded on first use: runs whose kustomizations already list everything decide that from a
// cached ResourceListing (scripts/kustomize/reachability.ts) and never need the YAML parser.
const loadYaml = () => require('yaml') as typeof import('yaml');

// The kustomization file kustomize would read in `dir`, or `<dir>/kustomization.yaml` when there is none.
export function kustomizationPath(dir: string): string {
  const found = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  return found ?? join(dir, 'kustomization.yaml');
}

// `text` with `entry` appended to `resources` (a new kustomization when `text` is undefined); unchanged if listed.
// NOTE: "./x", "x" and "x/" name the same resource, so none of them is added twice.
export function planAddResource(text: string | undefined, entry: string, path = 'kustomization.yaml'): TextEdit {
  if (text === undefined) {
    return { text: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${entry}\n`, changed: true };
  }
  const { YAMLSeq, isScalar, isSeq } = loadYaml();
  const doc = parseKustomization(text, path);
  if (leavesUnchanged(listingOf(doc), 'add', entry)) return { text, changed: false };
  const resources = doc.get('resources', true);
  if (isSeq(resources) && !resources.flow && resources.items.length > 0) {
    return { text: insertAfterItem(text, resources.items[resources.items.length - 1], entry), changed: true };
  }
  if (isSeq(resources)) {
    // An empty `resources: []` becomes a block list: one entry per line reads and diffs better.
    if (resources.items.length === 0) resources.flow = false;
    resources.add(doc.createNode(entry));
  }
  else if (resources === undefined || resources === null || (isScalar(resources) && resources.value === null)) {
    const seq = new YAMLSeq();
    seq.add(doc.createNode(entry));
    doc.set('resources', seq);
  } else throw new TaskError(`${path}: "resources" is not a list.`, { hint: `Fix ${path} by hand, then re-run.` });
  return { text: stringify(doc, text), changed: true };
}

// `text` without `entry` (in any of its spellings) in `resources`; unchanged when it is not listed.
export function planRemoveResource(text: string | undefined, entry: string, path = 'kustomization.yaml'): TextEdit {
  if (text === undefined) return { text: '', changed: false };
  const { isScalar, isSeq } = loadYaml();
  const doc = parseKustomization(text, path);
  const resources = doc.get('resources', true);
  if (!isSeq(resources)) return { text, changed: false };
  const index = resources.items.findIndex((item) => isScalar(item) && sameEntry(String(item.value), entry));
  if (index < 0) return { text, changed: false };
  if (!resources.flow && resources.items.length > 1) return { text: removeItemLines(text, resources.items[index]), changed: true };
  resources.items.splice(index, 1);
  return { text: stringify(doc, text), changed: true };
}

// What `text` lists in `resources` and `bases`: all planAddResource and planRemoveResource look at
// to decide that an entry is already there (or not there); throws like them on a file that is not a kustomization.
export function resourceListing(text: string, path = 'kustomization.yaml'): ResourceListing {
  return listingOf(parseKustomization(text, path));
}

// Whether adding (or removing) `entry` leaves a kustomization with this listing unchanged.
export function leavesUnchanged(listing: ResourceListing, action: 'add' | 'remove', entry: string): boolean {
  if (action === 'add') return [...listing.resources, ...listing.bases].some((listed) => sameEntry(listed, entry));
  return !listing.resources.some((listed) => sameEntry(listed, entry));
}

// Adds `entry` to the kustomization in `dir` (created if missing), atomically; true when the file changed.
export function addResource(dir: string, entry: string): boolean {
  return editFile(kustomizationPath(dir), (text, path) => planAddResource(text, entry, path));
}

// Removes `entry` from the kustomization in `dir`, atomically; true when the file changed.
export function removeResource(dir: string, entry: string): boolean {
  return editFile(kustomizationPath(dir), (text, path) => planRemoveResource(text, entry, path));
}

// True when `a` and `b` name the same resource ("./x/" and "x").
export function sameEntry(a: string, b: string): boolean {
  const normal = (s: string) => s.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return normal(a) === normal(b);
}

function editFile(path: string, plan: (text: string | undefined, path: string) => TextEdit): boolean {
  const { text, changed } = plan(existsSync(path) ? readFileSync(path, 'utf8') : undefined, path);
  if (changed) writeFileAtomic(path, text);
  return changed;
}

function parseKustomization(text: string, path: string): Document {
  const { isMap, parseDocument } = loadYaml();
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new TaskError(`${path} is not valid YAML: ${doc.errors[0].message}`, { hint: `Fix ${path}, then re-run.` });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new TaskError(`${path} is not a kustomization (expected a mapping at the top).`, { hint: `Fix ${path}, then re-run.` });
  }
  return doc;
}

function listingOf(doc: Document): ResourceListing {
  const { isScalar, isSeq } = loadYaml();
  const entries = (key: string) => {
    const list = doc.get(key, true);
    return isSeq(list) ? list.items.flatMap((item) => (isScalar(item) ? [String(item.value)] : [])) : [];
  };
  return { resources: entries('resources'), bases: entries('bases') };
}

// NOTE: block lists are edited as text, line by line, so that comments, spacing and the list's own
// indentation stay exactly as they were; only flow lists and new lists go through the YAML printer.
function insertAfterItem(text: string, last: unknown, entry: string): string {
  const [start, valueEnd] = rangeOf(last);
  const dash = text.lastIndexOf('-', start - 1);
  const indent = text.slice(lineStart(text, dash), dash);
  const at = lineEnd(text, valueEnd);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const before = text.slice(0, at);
  return `${before}${before.endsWith('\n') ? '' : newline}${indent}- ${entry}${newline}${text.slice(at)}`;
}

function removeItemLines(text: string, item: unknown): string {
  const [start, valueEnd] = rangeOf(item);
  return text.slice(0, lineStart(text, text.lastIndexOf('-', start - 1))) + text.slice(lineEnd(text, valueEnd));
}

function rangeOf(node: unknown): [number, number] {
  const range = (node as { range?: [number, number, number] }).range;
  if (!range) throw new Error('kustomization: a parsed list item has no source range');
  return [range[0], range[1]];
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

// The index just after the newline that ends the line holding `index` (or the end of the text).
function lineEnd(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline < 0 ? text.length : newline + 1;
}

// Keeps the file's list indentation ("- x" at the key's column, or indented by two).
function stringify(doc: Document, original: string): string {
  const indentSeq = !/^-[ \t]/m.test(original);
  return doc.toString({ indentSeq, lineWidth: 0 });
}
