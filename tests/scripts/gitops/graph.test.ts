import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findCycle, topologicalOrder } from '../../../scripts/gitops/graph.ts';

test('the cycle finder finds cycles and accepts a DAG', () => {
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), undefined);
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['a']]])), ['a', 'a']);
});

test('orders dependencies first and keeps the given order where free', () => {
  assert.equal(topologicalOrder(new Map([['c', ['b']], ['a', []], ['b', ['a', 'missing']]])), ['a', 'b', 'c']);
  assert.equal(topologicalOrder(new Map([['x', []], ['y', []]])), ['x', 'y']);
});

test('refuses to order a cycle', () => {
  assert.throws(() => topologicalOrder(new Map([['a', ['b']], ['b', ['a']]])), /cycle/);
});

test.run();
