// What a person must know or do if a run stops now, and the undo steps that run when it fails.
// A task registers a line as soon as it has changed something ("still suspended: …, run …") and
// marks it done once that is resolved; the task runner prints the open lines after any failure
// (error, Ctrl-C, timeout), in order, last, and writes them to the run log.

export type Handle = {
  // The line no longer applies (the change was finished or undone).
  done(): void;
};

export type UndoStep = { title: string; undo: () => Promise<void> };

export type Recovery = {
  // Registers a line for the person who has to finish or undo this run by hand.
  recover(text: string): Handle;
  // Registers a step that undoes a change if the run fails; dropped with done() once not needed.
  onFailure(title: string, undo: () => Promise<void>): Handle;
  // The lines still open, in the order they were registered.
  openLines(): string[];
  // The undo steps still registered, the latest first (changes are undone in reverse).
  pendingUndo(): UndoStep[];
};

// An empty recovery record for one run.
export function createRecovery(): Recovery {
  const lines = new Map<number, string>();
  const undos = new Map<number, UndoStep>();
  let next = 0;
  const register = <T>(map: Map<number, T>, value: T): Handle => {
    const id = next++;
    map.set(id, value);
    return { done: () => void map.delete(id) };
  };
  return {
    recover: (text) => register(lines, text),
    onFailure: (title, undo) => register(undos, { title, undo }),
    openLines: () => [...lines.values()],
    pendingUndo: () => [...undos.values()].reverse(),
  };
}
