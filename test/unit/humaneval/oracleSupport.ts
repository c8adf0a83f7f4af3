/** Shared helpers for the executor suites: the official problems, the oracle cases, and a verdict diff. */
import { readJsonl } from '../../support/sharedData';
import { assembleProgram, type CodeExecutor, type ExecutionResult, type ProgramSpec } from '../../../src/core/benchmarks/humaneval/executor';

export interface Problem {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
}

export interface OracleCase {
  case_id: string;
  task_id: string;
  class: string;
  variant: string;
  completion: string;
  result: string;
  passed: boolean;
  outcome: string;
}

export function loadProblems(file: string): Map<string, Problem> {
  return new Map(readJsonl<Problem>(file).map((p) => [p.task_id, p]));
}

export function programFor(problem: Problem, completion: string): string {
  return assembleProgram(problem.prompt, completion, problem.test, problem.entry_point);
}

/** What the scorer hands an executor: the task's parts, run the way the sandbox runs them. */
export function specFor(problem: Problem, completion: string): ProgramSpec {
  return { parts: { prompt: problem.prompt, completion, test: problem.test, entryPoint: problem.entry_point } };
}

/** Classes that mostly wait (sleep, spin until the limit): run them wide so the suite is not 30 × 3 s. */
export const WAITING_CLASSES = new Set(['infinite_loop', 'slow_pass', 'slow_timeout', 'os_exit_toplevel']);
export const HEAVY_CLASSES = new Set(['alloc_1gb']);

/**
 * Run every case; return the ones whose `passed` or `outcome` differ from the official label.
 * Waiting cases go to `wide`, then the rest (CPU-bound: a 1 GiB allocation must finish inside 3 s) to `narrow`.
 */
export async function oracleMismatches(narrow: CodeExecutor, wide: CodeExecutor, problems: Map<string, Problem>, cases: OracleCase[]): Promise<string[]> {
  // One group after the other: spinning loops would starve the 1 GiB allocations of CPU, and those
  // allocations (1-2 s each on this kind of machine) run one at a time so that they stay inside 3 s.
  const results = new Array<ExecutionResult>(cases.length);
  const group = (c: OracleCase) => (WAITING_CLASSES.has(c.class) ? 'waiting' : HEAVY_CLASSES.has(c.class) ? 'heavy' : 'normal');
  for (const name of ['waiting', 'normal', 'heavy']) {
    const chosen = cases.map((c, i) => [c, i] as const).filter(([c]) => group(c) === name);
    const run = async ([c, i]: readonly [OracleCase, number]) => {
      results[i] = await (name === 'waiting' ? wide : narrow).run(specFor(problems.get(c.task_id)!, c.completion));
    };
    if (name === 'heavy') for (const entry of chosen) await run(entry);
    else await Promise.all(chosen.map(run));
  }
  const out: string[] = [];
  cases.forEach((c, i) => {
    const r = results[i];
    if ((r.outcome === 'passed') !== c.passed || r.outcome !== c.outcome) {
      out.push(`${c.case_id} ${c.class}/${c.variant}: expected ${JSON.stringify(c.result)}, got ${JSON.stringify(r.result)}`);
    }
  });
  return out;
}

/** Processes whose command line holds the native driver (drivers and every program they forked). */
/**
 * Processes whose command line carries `marker` and that belong to this test process: its
 * descendants, or orphans adopted by init (where an escaped fork would end up). Another test run on
 * the same machine starts drivers with the same marker; those are not ours and are not counted.
 */
export function driverProcessCount(marker: string): number {
  const fs = require('node:fs') as typeof import('node:fs');
  const parentOf = new Map<number, number>();
  const marked: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: the parent pid follows the last ')'.
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) marked.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  const ours = (pid: number): boolean => {
    if (parentOf.get(pid) === 1) return true;
    for (let p = parentOf.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parentOf.get(p), hops++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  return marked.filter(ours).length;
}
