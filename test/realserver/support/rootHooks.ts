/**
 * After the whole real-server suite: stop any llama-server a test left running and fail if one
 * outlived its test — those started by the tests themselves (tracked pids) and those EvalBench
 * started (found in /proc by the per-process models folder on their command line).
 */
import { removeModelsCopy, currentModelsDir } from './llamaSetup';
import { pidAlive, processesMentioning, startedPids, stopAllLlamaServers } from './llamaServer';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    const leftovers: string[] = [];
    try {
      const tracked = startedPids.filter(pidAlive);
      if (tracked.length > 0) leftovers.push(`started by the tests: ${tracked.join(', ')}`);
      await stopAllLlamaServers();
      const dir = currentModelsDir();
      const foreign = dir ? processesMentioning(dir) : [];
      for (const p of foreign) {
        leftovers.push(`pid ${p.pid}: ${p.cmdline}`);
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    } finally {
      removeModelsCopy();
    }
    if (leftovers.length > 0) throw new Error(`llama-server processes outlived their tests: ${leftovers.join('; ')}`);
  },
};
