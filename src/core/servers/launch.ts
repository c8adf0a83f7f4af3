/** Turns a server profile into a launch: the argument array to start, or the running server to use. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import type { ServerLaunch, ServerProfile } from './types';

export const LOOPBACK = '127.0.0.1';
const OLLAMA_DEFAULT = 'http://127.0.0.1:11434';

export function launchFor(profile: ServerProfile, port: number, host = LOOPBACK): ServerLaunch {
  switch (profile.kind) {
    case 'llama.cpp': {
      const modelFile = path.resolve(profile.modelFile);
      // --alias makes the served model id the file's name, whatever path it was given by.
      const modelId = path.basename(modelFile).replace(/\.gguf$/i, '');
      const args = ['-m', modelFile, '--host', host, '--port', String(port), '--alias', modelId];
      if (profile.ctxSize !== undefined) args.push('--ctx-size', String(profile.ctxSize));
      if (profile.parallel !== undefined) args.push('--parallel', String(profile.parallel));
      args.push(...(profile.extraArgs ?? []));
      const command = profile.binary ?? 'llama-server';
      return { kind: 'process', command, args, host, port, modelId, modelFile, label: profile.name ?? `${path.basename(command)} ${path.basename(modelFile)}` };
    }
    case 'vllm': {
      const command = profile.command ?? 'vllm';
      const args = ['serve', profile.model, '--host', host, '--port', String(port), ...(profile.extraArgs ?? [])];
      const served = valueAfter(profile.extraArgs, '--served-model-name');
      return { kind: 'process', command, args, host, port, modelId: served ?? profile.model, label: profile.name ?? `vLLM ${profile.model}` };
    }
    case 'ollama':
      return { kind: 'attach', baseUrl: profile.baseUrl ?? OLLAMA_DEFAULT, modelId: profile.model, label: profile.name ?? `Ollama ${profile.model}` };
    case 'command': {
      if (profile.command.length === 0) throw new ConfigError('a command server profile needs a command (an argument array)');
      if (!profile.command.some((arg) => arg.includes('{port}'))) {
        throw new ConfigError(`the server command must contain {port} so EvalBench can choose a free port: ${profile.command.join(' ')}`);
      }
      if (profile.command.some((arg) => arg.includes('{model}')) && profile.model === undefined) {
        throw new ConfigError(`the server command uses {model}; give the model file or name (--model-file)`);
      }
      const fill = (arg: string) => arg.replaceAll('{port}', String(port)).replaceAll('{host}', host).replaceAll('{model}', profile.model ?? '');
      const [command, ...args] = profile.command.map(fill);
      const modelFile = profile.model !== undefined && /\.gguf$/i.test(profile.model) ? path.resolve(profile.model) : undefined;
      return {
        kind: 'process', command, args, host, port, modelId: profile.modelId, modelFile,
        label: profile.name ?? `${path.basename(command)}${profile.model ? ` ${path.basename(profile.model)}` : ''}`,
      };
    }
  }
}

/** The executable a command names (a path, or a name looked up on PATH); undefined when there is none. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = command.includes('/') || command.includes(path.sep)
    ? [path.resolve(command)]
    : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function valueAfter(args: string[] | undefined, flag: string): string | undefined {
  if (!args) return undefined;
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
