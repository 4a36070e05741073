// Adding and removing `resources` entries in a kustomization.yaml while keeping its comments,
// key order and list style. Pure text → text functions: the YAML parser finds where, the edit is
// made in the text, so every other byte stays as it was.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Document, Pair } from 'yaml';
import { TaskError } from '../core/errors.ts';
import { loadYaml } from '../core/lazy.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

// Whether a (repo-relative or absolute) path names a kustomization file.
export const isKustomizationFile = (path: string): boolean => KUSTOMIZATION_FILES.includes(path.slice(path.lastIndexOf('/') + 1));
export type TextEdit = { text: string; changed: boolean };
// The scalar entries of a kustomization's `resources` and `bases` lists, in file order.
export type ResourceListing = { resources: string[]; bases: string[] };

// NOTE: the YAML parser is loaded on first use (loadYaml): runs whose kustomizations already list
// everything decide that from a cached ResourceListing (reachability.ts) and never need it.

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
  const { isScalar, isSeq } = loadYaml();
  const doc = parseKustomization(text, path);
  if (leavesUnchanged(listingOf(doc), 'add', entry)) return { text, changed: false };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  // Block items at the key's column ("- x") when the file writes them so, else two further in.
  const itemIndent = /^-[ \t]/m.test(text) ? '' : '  ';
  const pair = resourcesPair(doc);
  if (!pair) {
    const body = text === '' || text.endsWith('\n') ? text : text + newline;
    return { text: `${body}resources:${newline}${itemIndent}- ${entry}${newline}`, changed: true };
  }
  const resources = pair.value;
  if (isSeq(resources) && resources.items.length > 0) {
    const last = resources.items[resources.items.length - 1];
    if (resources.flow) return { text: splice(text, rangeOf(last)[1], 0, `, ${entry}`), changed: true };
    return { text: insertAfterItem(text, last, entry), changed: true };
  }
  const keyStart = rangeOf(pair.key)[0];
  const indent = ' '.repeat(keyStart - lineStart(text, keyStart)) + itemIndent;
  if (isSeq(resources)) {
    // An empty `resources: []` becomes a block list: one entry per line reads and diffs better.
    let [start, end] = rangeOf(resources);
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    return { text: splice(text, start, end - start, `${newline}${indent}- ${entry}`), changed: true };
  }
  if (resources === null || resources === undefined || (isScalar(resources) && resources.value === null)) {
    const at = lineEnd(text, rangeOf(pair.key)[1]);
    const before = text.slice(0, at);
    return { text: `${before}${before.endsWith('\n') ? '' : newline}${indent}- ${entry}${newline}${text.slice(at)}`, changed: true };
  }
  throw new TaskError(`${path}: "resources" is not a list.`, { hint: `Fix ${path} by hand, then re-run.` });
}

// `text` without `entry` (in any of its spellings) in `resources`; unchanged when it is not listed.
export function planRemoveResource(text: string | undefined, entry: string, path = 'kustomization.yaml'): TextEdit {
  if (text === undefined) return { text: '', changed: false };
  const { isScalar, isSeq } = loadYaml();
  const doc = parseKustomization(text, path);
  const pair = resourcesPair(doc);
  const resources = pair?.value;
  if (!pair || !isSeq(resources)) return { text, changed: false };
  const { items } = resources;
  const index = items.findIndex((item) => isScalar(item) && sameEntry(String(item.value), entry));
  if (index < 0) return { text, changed: false };
  if (!resources.flow) {
    const without = removeItemLines(text, items[index]);
    if (items.length > 1) return { text: without, changed: true };
    // The last entry: the key stays, as an empty list.
    const colon = text.indexOf(':', rangeOf(pair.key)[1]);
    return { text: splice(without, colon + 1, 0, ' []'), changed: true };
  }
  if (items.length === 1) {
    const [start, end] = rangeOf(resources);
    return { text: splice(text, start, end - start, '[]'), changed: true };
  }
  const [start, end] = rangeOf(items[index]);
  // The entry and the comma after it; the last entry with the comma before it.
  if (index < items.length - 1) return { text: splice(text, start, rangeOf(items[index + 1])[0] - start, ''), changed: true };
  const previousEnd = rangeOf(items[index - 1])[1];
  return { text: splice(text, previousEnd, end - previousEnd, ''), changed: true };
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

// True when `a` and `b` name the same resource ("./x/" and "x").
export function sameEntry(a: string, b: string): boolean {
  const normal = (s: string) => s.trim().replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return normal(a) === normal(b);
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

// The `resources:` entry of the top-level mapping, if there is one.
function resourcesPair(doc: Document): Pair | undefined {
  const { isMap, isScalar } = loadYaml();
  if (!isMap(doc.contents)) return undefined;
  return doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'resources');
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

// NOTE: block lists are edited line by line, so that comments, spacing and the list's own
// indentation stay exactly as they were.
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
