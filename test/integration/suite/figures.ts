/**
 * Speed figures integration tests print (never assert), shown by the runner after the tests. The extension
 * host's console goes nowhere the runner sees, and each test file is its own bundle (module state is not
 * shared with index.ts), so figures go through a global.
 */
const store = globalThis as { evalbenchFigures?: string[] };

export function reportFigure(text: string): void {
  (store.evalbenchFigures ??= []).push(text);
}

export function reportedFigures(): string[] {
  return store.evalbenchFigures ?? [];
}
