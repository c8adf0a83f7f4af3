/**
 * Splits a command line the user typed ("/opt/llama-server -m {model} --port {port} --ctx-size 8192") into an
 * argument array, with POSIX-like quoting ('single', "double", backslash), so it can be started without a
 * shell: nothing in it is ever interpreted (no $VAR, globs, pipes, ;).
 */
import { ConfigError } from '../errors';

export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (quote) throw new ConfigError(`unclosed ${quote} quote in the command: ${line}`);
  if (inArg) args.push(current);
  return args;
}
