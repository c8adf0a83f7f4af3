/** `evalbench` — the headless front door to the same core the VS Code extension drives. */
import { EvalBenchError } from '../core/errors';
import { cliFixText } from '../core/fixHints';
import { UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { compareCommand } from './commands/compare';
import { compareModelsCommand } from './commands/compareModels';
import { dataCommand } from './commands/data';
import { exportCommand } from './commands/export';
import { listCommand } from './commands/list';
import { pairwiseCommand } from './commands/pairwise';
import { runCommand } from './commands/run';
import { scoreCommand } from './commands/score';
import { showCommand } from './commands/show';

export const commands: CliCommand[] = [runCommand, listCommand, showCommand, scoreCommand, compareCommand, compareModelsCommand, pairwiseCommand, exportCommand, dataCommand];

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'evalbench — evaluate models served by vLLM, llama.cpp, Ollama or LM Studio (IFEval, HumanEval, custom JSONL)',
    '',
    'usage: evalbench <command> [options]   (evalbench <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${topUsage()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout.write(`${require('../../package.json').version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`evalbench: unknown command '${name}'\n\n${topUsage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`evalbench ${name}: ${error.message}\n(see evalbench ${name} --help)\n`);
      return 2;
    }
    if (error instanceof EvalBenchError) {
      const fix = cliFixText(error);
      io.stderr.write(`evalbench ${name}: ${error.message}\n${fix ? `  ${fix}\n` : ''}`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  // `evalbench … --json | head`: the reader left; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ncancelling: finished items are kept; resume with evalbench run --resume RUN (Ctrl-C again to quit now)\n');
    controller.abort(new Error('interrupted'));
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error) => {
      process.stderr.write(`evalbench: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
