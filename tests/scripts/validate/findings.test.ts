import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listWithoutSchema, MAX_WITHOUT_SCHEMA_OBJECTS } from '../../../scripts/validate/findings.ts';

const widget = (name: string, line: number, cluster?: string) => ({
  kind: 'example.com/v1 Widget', object: `Widget apps/${name}`, file: 'infrastructure/apps/widget.yaml', line, ...(cluster ? { cluster } : {}),
});

test('lists an object without a schema once with every cluster it was built for, sorted by file and line', () => {
  assert.equal(listWithoutSchema([
    widget('b', 9, 'staging'),
    { kind: 'example.com/v1 Gadget', object: 'Gadget apps/g', file: 'infrastructure/apps/gadget.yaml', line: 1 },
    widget('a', 1, 'staging'),
    widget('a', 1, 'production'),
    widget('a', 1, 'staging'),
  ]), [
    { kind: 'example.com/v1 Gadget', object: 'Gadget apps/g', file: 'infrastructure/apps/gadget.yaml', line: 1, clusters: [] },
    { kind: 'example.com/v1 Widget', object: 'Widget apps/a', file: 'infrastructure/apps/widget.yaml', line: 1, clusters: ['production', 'staging'] },
    { kind: 'example.com/v1 Widget', object: 'Widget apps/b', file: 'infrastructure/apps/widget.yaml', line: 9, clusters: ['staging'] },
  ]);
});

test('lists at most MAX_WITHOUT_SCHEMA_OBJECTS objects, the first by file and line', () => {
  const many = Array.from({ length: MAX_WITHOUT_SCHEMA_OBJECTS + 5 }, (_, i) => widget(`w${i}`, MAX_WITHOUT_SCHEMA_OBJECTS + 5 - i));
  const listed = listWithoutSchema(many);
  assert.is(listed.length, MAX_WITHOUT_SCHEMA_OBJECTS);
  assert.equal([listed[0].line, listed.at(-1)!.line], [1, MAX_WITHOUT_SCHEMA_OBJECTS]);
});

test.run();
