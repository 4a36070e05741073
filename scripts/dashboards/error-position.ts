// Where a file's text goes wrong, for messages that point at it: the first invalid UTF-8 byte,
// the first JSON syntax error and what it is, and offsets as line:column. Only needed to describe
// an export that does not decode or parse.

// The byte offset of the first byte that does not start or continue valid UTF-8, or -1.
// NOTE: strict like TextDecoder({ fatal: true }): overlong forms, surrogates and > U+10FFFF are invalid.
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const [low, high] = secondByteRange(b);
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c < min || c > max) return i;
    }
    i += length;
  }
  return -1;
}

function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf]; // no overlong 3-byte forms
  if (lead === 0xed) return [0x80, 0x9f]; // no UTF-16 surrogates
  if (lead === 0xf0) return [0x90, 0xbf]; // no overlong 4-byte forms
  if (lead === 0xf4) return [0x80, 0x8f]; // nothing above U+10FFFF
  return [0x80, 0xbf];
}

// 1-based line and column (in UTF-16 units, as editors count) of `offset` in `text`.
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

// Finds the first JSON syntax error and says what it is, because Node 20's JSON.parse messages
// often leave out the position ("Unexpected token 'a', "abc" is not valid JSON").

export type JsonSyntaxError = { offset: number; reason: string };

class Stop {
  offset: number;
  reason: string;
  constructor(offset: number, reason: string) {
    this.offset = offset;
    this.reason = reason;
  }
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

// The first syntax error in `text` (RFC 8259, as JSON.parse reads it), or undefined when it is valid.
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (reason: string): never => {
    throw new Stop(i, i >= text.length ? 'unexpected end of input' : reason);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (char: string, reason: string) => {
    skipSpace();
    if (text[i] !== char) fail(reason);
    i++;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('raw control character in a string (write it as \\n, \\t or \\u00XX)');
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape: expected 4 hex digits');
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i])) i++;
        else fail(`bad escape \\${text[i] ?? ''} in a string`);
      } else i++;
    }
  };
  const number = () => {
    NUMBER.lastIndex = i;
    if (!NUMBER.exec(text)) fail('invalid number');
    i = NUMBER.lastIndex;
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') return members('}', () => {
      skipSpace();
      if (text[i] !== '"') fail('expected a double-quoted property name');
      string();
      expect(':', "expected ':' after the property name");
      value();
    });
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    fail(`unexpected character ${JSON.stringify(c)}: expected a value`);
  };
  const members = (close: string, item: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      skipSpace();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(`expected ',' or '${close}'`);
      i++;
      skipSpace();
      if (text[i] === close) fail('trailing comma');
    }
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}
