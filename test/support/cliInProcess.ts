/**
 * Runs the CLI's `main` in this process (its own entry, minus the process), capturing what it prints.
 * Faster than a child process and enough wherever the test is about messages and exit codes, not signals.
 * No API key reaches the servers from the test's environment.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface InProcessCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cliInProcess(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<InProcessCliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, env: { ...process.env, EVALBENCH_API_KEY: '', ...env }, cwd, signal: new AbortController().signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
