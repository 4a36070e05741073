// A fast reader for block-style YAML: the YAML kustomize prints and most manifests are written in
// (block mappings and sequences, plain and single-line quoted scalars, literal block scalars,
// comments, `---` between documents). It gives the documents' values and first lines exactly as
// the `yaml` package would, or undefined for anything else (anchors, tags, folded or indented
// block scalars, multi-line plain or quoted scalars, duplicate keys, tabs, any error): the caller
// then parses with `yaml`, which also names the error. Plain scalars are resolved with the `yaml`
// package's own core-schema tags.
// NOTE: speed: validate reads ~5,000 built objects and every file of the tree per run; this reader
// takes about a tenth of the `yaml` package's time on them (bench/validate.ts).
import { isCollection, isScalar, parse, parseDocument, Schema, type ParseOptions, type ScalarTag } from 'yaml';

export type BlockDocument = { line: number; value: unknown };

// Thrown inside the reader when the text leaves the subset; never escapes it.
const UNSUPPORTED = Symbol('unsupported');

const CORE_TAGS = new Schema({ schema: 'core' }).tags.filter((tag): tag is ScalarTag & { test: RegExp } => tag.default === true && 'test' in tag && tag.test !== undefined);
const RESOLVE_OPTIONS: ParseOptions = { intAsBigInt: false };
// What makes the whole text go to the `yaml` package: a byte order mark at the start, tabs,
// carriage returns, control characters and the line separators YAML 1.1 knew.
const UNSUPPORTED_TEXT = /^\ufeff|[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029]/;
const PLAIN_KEY = /^[A-Za-z0-9_$./][^\s:#'",[\]{}]*$/;
// What may follow a closed quoted scalar on its line: spaces, then maybe a comment.
const AFTER_QUOTED = /^(?: *| +#.*)$/;
const JSON_ESCAPES = /\\(?:[^"\\/bfnrtu]|u(?![0-9a-fA-F]{4}))/;
const MAX_KEY_LENGTH = 1000;

// The documents of `text`, or undefined when it is not in the subset this reader knows.
export function readBlockYaml(text: string): BlockDocument[] | undefined {
  if (UNSUPPORTED_TEXT.test(text)) return undefined;
  try {
    return new BlockReader(text).documents();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

function unsupported(): never {
  throw UNSUPPORTED;
}

class BlockReader {
  private readonly lines: string[];
  // The number of lines (a final newline does not start one more).
  private readonly count: number;
  // Each line's indentation and its text after it; a `- ` entry's own content moves them right.
  private readonly indents: number[];
  private readonly texts: string[];
  private readonly text: string;
  private at = 0;

  constructor(text: string) {
    this.text = text;
    this.lines = text.split('\n');
    this.count = text.endsWith('\n') ? this.lines.length - 1 : this.lines.length;
    this.indents = new Array<number>(this.count);
    this.texts = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) {
      const line = this.lines[i];
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      this.indents[i] = indent;
      this.texts[i] = line.slice(indent);
    }
  }

  documents(): BlockDocument[] {
    const documents: BlockDocument[] = [];
    // After `---` a document must follow (an empty one is left to the `yaml` package).
    let markerOpen = false;
    for (;;) {
      this.at = this.nextContent(this.at);
      if (this.at >= this.count) break;
      const line = this.lines[this.at];
      if (line === '---') {
        if (markerOpen) unsupported();
        markerOpen = true;
        this.at++;
        continue;
      }
      if (line.startsWith('---') || line.startsWith('...') || line.startsWith('%')) unsupported();
      if (documents.length > 0 && !markerOpen) unsupported();
      const first = this.at;
      const value = this.node();
      this.at = this.nextContent(this.at);
      if (this.at < this.count && this.lines[this.at] !== '---') unsupported();
      documents.push({ line: first + 1, value });
      markerOpen = false;
    }
    if (markerOpen) unsupported();
    return documents;
  }

  // The first line at or after `from` that is neither blank nor a comment.
  private nextContent(from: number): number {
    let i = from;
    while (i < this.count) {
      const text = this.texts[i];
      if (text !== '' && text.charCodeAt(0) !== 35) break;
      i++;
    }
    return i;
  }

  // The block node starting on the current line: a sequence or a mapping.
  private node(): unknown {
    const text = this.texts[this.at];
    if (isEntry(text)) return this.sequence(this.indents[this.at]);
    return this.mapping(this.indents[this.at]);
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      const { key, rest } = readKey(this.texts[this.at]);
      if (Object.prototype.hasOwnProperty.call(map, key) || key === '__proto__') unsupported();
      const keyLine = this.at;
      this.at++;
      let value: unknown = null;
      if (rest === '' || rest.charCodeAt(0) === 35) {
        const next = this.nextContent(this.at);
        if (next < this.count && this.lines[next] !== '---') {
          if (this.indents[next] > indent) {
            this.at = next;
            value = this.node();
          } else if (this.indents[next] === indent && isEntry(this.texts[next])) {
            this.at = next;
            value = this.sequence(indent);
          }
        }
      } else value = this.inline(rest, indent, keyLine);
      map[key] = value;
      if (!this.continues(indent)) return map;
      if (isEntry(this.texts[this.at])) unsupported();
    }
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    for (;;) {
      const text = this.texts[this.at];
      const content = trimSpacesStart(text.slice(1));
      if (content === '' || content.charCodeAt(0) === 35) {
        this.at++;
        const next = this.nextContent(this.at);
        if (next < this.count && this.lines[next] !== '---' && this.indents[next] > indent) {
          this.at = next;
          list.push(this.node());
        } else list.push(null);
      } else if (isEntry(content) || isKeyLine(content)) {
        // `- key: value` or `- - item`: the content is a node indented where it starts.
        this.indents[this.at] = indent + text.length - content.length;
        this.texts[this.at] = content;
        list.push(this.node());
      } else {
        const line = this.at;
        this.at++;
        list.push(this.inline(content, indent, line));
      }
      if (!this.continues(indent) || !isEntry(this.texts[this.at])) return list;
    }
  }

  // Moves to the next content line and says whether it continues the node at `indent`; a line
  // indented deeper after a complete value is outside the subset (a multi-line scalar, or an error).
  private continues(indent: number): boolean {
    this.at = this.nextContent(this.at);
    if (this.at >= this.count || this.lines[this.at] === '---') return false;
    const next = this.indents[this.at];
    if (next > indent) unsupported();
    return next === indent;
  }

  // A value written on its key's (or entry's) line; block scalars read the lines after it.
  private inline(value: string, parentIndent: number, line: number): unknown {
    const first = value.charCodeAt(0);
    if (first === 34 || first === 39) return this.quoted(value, parentIndent, line);
    if (first === 124) return this.literal(trimSpacesEnd(value), parentIndent, line);
    if (first === 123 || first === 91) return flow(value);
    if ('>&*!%@`,]}#'.includes(value[0])) unsupported();
    if ((first === 45 || first === 63 || first === 58) && (value.length === 1 || value.charCodeAt(1) === 32)) unsupported();
    const comment = value.indexOf(' #');
    const plain = trimSpacesEnd(comment >= 0 ? value.slice(0, comment) : value);
    if (plain.includes(': ') || plain.endsWith(':')) unsupported();
    return resolvePlain(plain);
  }

  // A quoted scalar starting on line `line`; one that goes on over the next lines (as kustomize
  // writes long strings) is read whole by the `yaml` package, its lines checked here.
  private quoted(value: string, parentIndent: number, line: number): string {
    const double = value.charCodeAt(0) === 34;
    const { close } = closingQuote(value, double);
    if (close >= 0) {
      if (!AFTER_QUOTED.test(value.slice(close + 1))) unsupported();
      return double ? doubleQuoted(value.slice(0, close + 1)) : value.slice(1, close).replaceAll("''", "'");
    }
    const raw = this.lines[line];
    let text = raw.slice(trimSpacesEnd(raw).length - trimSpacesEnd(value).length);
    // Each line is scanned once: the scan goes on where the last one stopped.
    let from = closingQuote(text, double).resume;
    for (let next = line + 1; next < this.count; next++) {
      if (this.texts[next] !== '' && this.indents[next] <= parentIndent) break;
      text += `\n${this.lines[next]}`;
      const scan = closingQuote(text, double, from);
      from = scan.resume;
      const end = scan.close;
      if (end < 0) continue;
      if (!AFTER_QUOTED.test(text.slice(end + 1))) unsupported();
      this.at = next + 1;
      return parseScalar(text.slice(0, end + 1)) as string;
    }
    return unsupported();
  }

  // A literal block scalar (`|`, `|-`, `|+`) whose header is on line `line`.
  private literal(header: string, parentIndent: number, line: number): string {
    if (header !== '|' && header !== '|-' && header !== '|+') unsupported();
    let first = line + 1;
    while (first < this.count && this.texts[first] === '') first++;
    if (first >= this.count || this.indents[first] <= parentIndent) unsupported();
    const indent = this.indents[first];
    const content: string[] = [];
    let end = line + 1;
    for (; end < this.count; end++) {
      const raw = this.lines[end];
      if (this.texts[end] === '') {
        // A line of spaces only: more of them than the indentation would be content.
        if (raw.length > indent) unsupported();
        content.push('');
        continue;
      }
      if (this.indents[end] < indent) break;
      content.push(raw.slice(indent));
    }
    if (end >= this.count && !this.text.endsWith('\n')) unsupported();
    this.at = end;
    let last = content.length;
    while (last > 0 && content[last - 1] === '') last--;
    const body = content.slice(0, last).join('\n');
    if (header === '|-') return body;
    if (header === '|') return `${body}\n`;
    return `${body}\n${'\n'.repeat(content.length - last)}`;
  }
}

// YAML separates with spaces (tabs are left to the `yaml` package); JavaScript's trim would also
// take Unicode spaces, which YAML keeps as content.
function trimSpacesStart(text: string): string {
  let start = 0;
  while (text.charCodeAt(start) === 32) start++;
  return text.slice(start);
}

function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}

const isEntry = (text: string): boolean => text === '-' || text.startsWith('- ');

// Whether an entry's content is a mapping's first line (`key: …`, `"key": …`) rather than a scalar.
function isKeyLine(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 34 || first === 39) {
    const close = text.indexOf(first === 34 ? '"' : "'", 1);
    return close > 0 && text.charCodeAt(close + 1) === 58;
  }
  return text.indexOf(': ') > 0 || (text.length > 1 && text.endsWith(':'));
}

// The key of a mapping line and what follows `key:` (trimmed left).
function readKey(text: string): { key: string; rest: string } {
  const first = text.charCodeAt(0);
  let key: string;
  let after: number;
  if (first === 34 || first === 39) {
    const close = text.indexOf(first === 34 ? '"' : "'", 1);
    if (close < 0 || text.charCodeAt(close + 1) !== 58) unsupported();
    key = text.slice(1, close);
    if (key.includes('\\') || key.includes("'") || key.includes('"')) unsupported();
    after = close + 2;
  } else {
    let colon = text.indexOf(': ');
    if (colon < 0 && text.endsWith(':')) colon = text.length - 1;
    if (colon <= 0) unsupported();
    key = text.slice(0, colon);
    if (!PLAIN_KEY.test(key) || resolvePlain(key) !== key) unsupported();
    after = colon + 1;
  }
  if (key.length > MAX_KEY_LENGTH) unsupported();
  if (after < text.length && text.charCodeAt(after) !== 32) unsupported();
  return { key, rest: trimSpacesEnd(trimSpacesStart(text.slice(after))) };
}

// A plain scalar's value under the YAML 1.2 core schema, as the `yaml` package resolves it.
function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Letters other than n, t, f (null, true, false) start nothing but strings.
  if ((first >= 97 && first <= 122 && first !== 110 && first !== 116 && first !== 102) || (first >= 65 && first <= 90 && first !== 78 && first !== 84 && first !== 70)) return text;
  for (const tag of CORE_TAGS) {
    if (!tag.test.test(text)) continue;
    const value = tag.resolve(text, () => unsupported(), RESOLVE_OPTIONS) as unknown;
    return isScalar(value) ? value.value : value;
  }
  return text;
}

// The index of the quote that closes the quoted scalar `text` starts with (-1 when none), scanning
// from `from`; `resume` is where a scan of more text goes on (past an escape the text ends in).
function closingQuote(text: string, double: boolean, from = 1): { close: number; resume: number } {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (double) {
      if (c === 92) i++;
      else if (c === 34) return { close: i, resume: i };
    } else if (c === 39) {
      if (text.charCodeAt(i + 1) !== 39) return { close: i, resume: i };
      i++;
    }
  }
  return { close: -1, resume: i };
}

// A double-quoted scalar on one line, quotes included.
function doubleQuoted(quoted: string): string {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  // JSON's escapes mean the same in YAML; YAML's own ones are left to the `yaml` package.
  return JSON_ESCAPES.test(quoted) ? (parseScalar(quoted) as string) : (JSON.parse(quoted) as string);
}

// A flow collection written on one line (and nothing after it but a comment).
function flow(value: string): unknown {
  const trimmed = trimSpacesEnd(value);
  if (trimmed === '{}') return {};
  if (trimmed === '[]') return [];
  if (/[&*!]/.test(trimmed)) unsupported();
  const doc = parseDocument(trimmed, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0 || !isCollection(doc.contents) || !doc.contents.flow) unsupported();
  return doc.toJS() as unknown;
}

function parseScalar(text: string): unknown {
  try {
    return parse(text, { uniqueKeys: true, prettyErrors: false }) as unknown;
  } catch {
    return unsupported();
  }
}
