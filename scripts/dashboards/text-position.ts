// Where in a file something went wrong: the first invalid UTF-8 byte, and offsets as line:column.

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
