/**
 * Run managers that are disposed after each test (their runs stopped, their scoring worker ended), so no
 * test file repeats the `let manager; afterEach(() => manager?.dispose())` prelude and no worker keeps
 * mocha alive. They run the scoring worker from its TypeScript source. Call at suite level, before
 * `useFakeModelServers()`, so that runs stop before their servers go:
 *
 *   const managers = useRunManagers();
 *   const servers = useFakeModelServers();
 *   it('…', async () => { const manager = managers.create({ store, cacheDir }); … });
 */
import * as path from 'node:path';
import { RunManager, type RunManagerOptions } from '../../src/core/run/runManager';
import { tsxExecArgv } from '../../src/core/scoring/workerLocation';

export const SCORING_WORKER_SOURCE = path.resolve(__dirname, '../../src/worker/scoringWorker.ts');

export interface RunManagers {
  /** A manager disposed after the current test (disposing it earlier is harmless). */
  create(options: RunManagerOptions): RunManager;
}

export function useRunManagers(): RunManagers {
  const open: RunManager[] = [];
  afterEach(async () => {
    for (const manager of open.splice(0)) await manager.dispose();
  });
  return {
    create(options) {
      const manager = new RunManager({ workerPath: SCORING_WORKER_SOURCE, workerExecArgv: tsxExecArgv(), ...options });
      open.push(manager);
      return manager;
    },
  };
}
