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

// Every dependency cycle, one per strongly connected component with more than one id or a
// self-loop: the shortest cycle through the component's first id (in the order of `edges`), first
// id repeated at the end. Components in the order of their first ids.
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const ids = [...edges.keys()];
  const position = new Map(ids.map((id, i) => [id, i]));
  const cycles: string[][] = [];
  for (const component of stronglyConnected(edges)) {
    const start = component.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    if (component.length === 1 && !(edges.get(start) ?? []).includes(start)) continue;
    cycles.push(shortestCycle(edges, start, new Set(component)));
  }
  return cycles.sort((a, b) => position.get(a[0])! - position.get(b[0])!);
}

// Tarjan's strongly connected components of the ids of `edges` (unknown dependencies ignored).
function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (id: string) => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const dep of edges.get(id) ?? []) {
      if (!edges.has(dep)) continue;
      if (!index.has(dep)) {
        visit(dep);
        low.set(id, Math.min(low.get(id)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(id, Math.min(low.get(id)!, index.get(dep)!));
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    components.push(component);
  };
  for (const id of edges.keys()) if (!index.has(id)) visit(id);
  return components;
}

// The shortest path from `start` back to itself inside `within` (breadth first, dependencies in order).
function shortestCycle(edges: ReadonlyMap<string, readonly string[]>, start: string, within: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const dep of edges.get(queue[i]) ?? []) {
      if (!within.has(dep)) continue;
      if (dep === start) {
        const path: string[] = [];
        for (let at = queue[i]; at !== start; at = previous.get(at)!) path.unshift(at);
        return [start, ...path, start];
      }
      if (previous.has(dep)) continue;
      previous.set(dep, queue[i]);
      queue.push(dep);
    }
  }
  return [start, start];
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
