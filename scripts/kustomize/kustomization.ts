// Adding and removing `resources` entries in a kustomization.yaml while keeping its comments,
// key order and list style. Pure text → text functions, plus thin file wrappers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { YAMLSeq, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { TaskError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/write-atomic.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
export type TextEdit = { text: string; changed: boolean };

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
  const doc = parseKustomization(text, path);
  if (listedIn(doc, 'resources', entry) || listedIn(doc, 'bases', entry)) return { text, changed: false };
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
  const doc = parseKustomization(text, path);
  const resources = doc.get('resources', true);
  if (!isSeq(resources)) return { text, changed: false };
  const index = resources.items.findIndex((item) => isScalar(item) && sameEntry(String(item.value), entry));
  if (index < 0) return { text, changed: false };
  if (!resources.flow && resources.items.length > 1) return { text: removeItemLines(text, resources.items[index]), changed: true };
  resources.items.splice(index, 1);
  return { text: stringify(doc, text), changed: true };
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
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new TaskError(`${path} is not valid YAML: ${doc.errors[0].message}`, { hint: `Fix ${path}, then re-run.` });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new TaskError(`${path} is not a kustomization (expected a mapping at the top).`, { hint: `Fix ${path}, then re-run.` });
  }
  return doc;
}

function listedIn(doc: Document, key: string, entry: string): boolean {
  const list = doc.get(key, true);
  return isSeq(list) && list.items.some((item) => isScalar(item) && sameEntry(String(item.value), entry));
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
