/** `evalbench` — the headless front door to the same core the VS Code extension drives. */
import { ConfigError, DatasetError, EvalBenchError, NotARunFileError, RunNotFoundError } from '../core/errors';
import { cliFixText } from '../core/fixHints';
import { ModelFileError } from '../core/modelFile/errors';
import { endDescendants, killDescendants } from '../core/processTree';
import { UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { compareCommand } from './commands/compare';
import { compareModelsCommand } from './commands/compareModels';
import { dataCommand } from './commands/data';
import { exportCommand } from './commands/export';
import { listCommand } from './commands/list';
import { pairwiseCommand } from './commands/pairwise';
import { serveCommand } from './commands/serve';
import { runCommand } from './commands/run';
import { scoreCommand } from './commands/score';
import { showCommand } from './commands/show';

export const commands: CliCommand[] = [runCommand, listCommand, showCommand, scoreCommand, compareCommand, compareModelsCommand, pairwiseCommand, serveCommand, exportCommand, dataCommand];

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'evalbench — evaluate models served by vLLM, llama.cpp, Ollama or LM Studio (IFEval, HumanEval, GSM8K, custom JSONL)',
    '',
    'usage: evalbench <command> [options]   (evalbench <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/**
 * Exit 2 for what the user gave (options, settings, dataset and model files, a run that is not there), 1 for work
 * that failed (a server, a scorer, the disk, a cancel): scripts can tell "fix the command" from "try again".
 */
function isInputError(error: EvalBenchError): boolean {
  return error instanceof ConfigError || error instanceof DatasetError || error instanceof ModelFileError || error instanceof RunNotFoundError || error instanceof NotARunFileError;
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
      return isInputError(error) ? 2 : 1;
    }
    const fileError = fileSystemErrorText(error);
    if (fileError) {
      io.stderr.write(`evalbench ${name}: ${fileError.text}\n`);
      return fileError.exit;
    }
    throw error;
  }
}

/** Codes that mean the path given is wrong for the job (fix the command); others (a full disk, I/O) are failed work. */
const PATH_ERROR_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST']);
const SYSCALL_WORDS: Record<string, string> = { mkdir: 'create the folder', open: 'open', write: 'write', rename: 'write', link: 'write', scandir: 'read the folder' };

/**
 * A folder or file the command cannot use (`--out` in a read-only or missing place): which path, why, and no
 * stack trace. Only Node's own file-system errors, which carry the syscall and path; anything else stays a crash.
 */
function fileSystemErrorText(error: unknown): { text: string; exit: number } | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string' || typeof e.path !== 'string') return undefined;
  const reason = /^E[A-Z]+: ([^,]+),/.exec(e.message)?.[1] ?? e.code;
  return { text: `cannot ${SYSCALL_WORDS[e.syscall] ?? e.syscall} ${e.path}: ${reason} (${e.code})`, exit: PATH_ERROR_CODES.has(e.code) ? 2 : 1 };
}

/**
 * The process around main(): signals, exit code, and no child left behind. Called by dist/cli.js (entry.ts,
 * which loads this bundle through the code cache) and when this file is run directly (tests, tsx).
 */
export function runFromCommandLine(): void {
  // `evalbench … --json | head`: the reader left; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // Ctrl-C, `kill`/`timeout`/`docker stop` (SIGTERM) and a closed terminal (SIGHUP) all cancel: the command
  // stops its work, saves what is finished and releases its locks. A second signal quits at once.
  const controller = new AbortController();
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  // A closed terminal makes writes to it fail: that must not turn a clean cancel into a crash.
  process.stderr.on('error', () => {});
  for (const signal of Object.keys(exitCodes) as (keyof typeof exitCodes)[]) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        // Quitting now: the processes the command started go with it, not to init.
        killDescendants(process.pid);
        process.exit(exitCodes[signal]);
      }
      if (signal !== 'SIGHUP') process.stderr.write(`\n${signal}: cancelling; finished items are kept (${signal === 'SIGINT' ? 'Ctrl-C' : 'the same signal'} again to quit now)\n`);
      controller.abort(new Error(`interrupted by ${signal}`));
    });
  }
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error) => {
      process.stderr.write(`evalbench: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    })
    // Every command stops what it started; this is the backstop (a crash, a path that forgot): nothing the
    // CLI started outlives it. Commands that ended cleanly have no descendants left, so this costs one /proc read.
    .then(() => endDescendants(process.pid, 3_000));
}

if (require.main === module) runFromCommandLine();
