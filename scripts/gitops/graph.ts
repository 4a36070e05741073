// Dependency graphs of ids (a Kustomization → the ones it depends on): a cycle finder and a
// topological order (dependencies first).

// A dependency cycle as a list of ids (first id repeated at the end), or undefined.
export function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const dep of edges.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

// The ids with every id after the ones it depends on, keeping the given order where free;
// unknown dependencies are ignored. Throws on a cycle (check findCycle first).
export function topologicalOrder(edges: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (id: string) => {
    if (placed.has(id)) return;
    if (visiting.has(id)) throw new Error(`topologicalOrder: dependency cycle through ${id}`);
    visiting.add(id);
    for (const dep of edges.get(id) ?? []) if (edges.has(dep)) place(dep);
    visiting.delete(id);
    placed.add(id);
    order.push(id);
  };
  for (const id of edges.keys()) place(id);
  return order;
}
