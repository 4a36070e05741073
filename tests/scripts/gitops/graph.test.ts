import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findCycle, findCycles, topologicalOrder } from '../../../scripts/gitops/graph.ts';

test('the cycle finder finds cycles and accepts a DAG', () => {
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), undefined);
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['a']]])), ['a', 'a']);
});

test('findCycles reports every cycle, one per strongly connected component, each through its first id', () => {
  assert.equal(findCycles(new Map([['apps', ['apps']], ['a', ['b']], ['b', ['a']], ['c', ['c']], ['d', ['a', 'missing']]])), [['apps', 'apps'], ['a', 'b', 'a'], ['c', 'c']]);
  // One component with two cycles through x: the shortest one is named.
  assert.equal(findCycles(new Map([['x', ['y', 'z']], ['y', ['w']], ['w', ['x']], ['z', ['x']]])), [['x', 'z', 'x']]);
  assert.equal(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
  assert.equal(findCycles(new Map([['b', ['c']], ['a', ['b']], ['c', ['a']]])), [['b', 'c', 'a', 'b']]);
});

test('orders dependencies first and keeps the given order where free', () => {
  assert.equal(topologicalOrder(new Map([['c', ['b']], ['a', []], ['b', ['a', 'missing']]])), ['a', 'b', 'c']);
  assert.equal(topologicalOrder(new Map([['x', []], ['y', []]])), ['x', 'y']);
});

test('refuses to order a cycle', () => {
  assert.throws(() => topologicalOrder(new Map([['a', ['b']], ['b', ['a']]])), /cycle/);
});

test.run();
