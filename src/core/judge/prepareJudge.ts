/** Before a judged run starts: check the judge config, ask the judge's server about itself, and keep what it said. */
import { probeServer } from '../endpoint/serverProbe';
import type { ServerFacts } from '../endpoint/types';
import { ConfigError, EvalBenchError, errorMessage } from '../errors';
import { resolveJudgeConfig, type JudgeConfig, type JudgeKind } from './judgeConfig';

export async function prepareJudge(
  input: Partial<JudgeConfig>,
  options: { apiKey?: string; signal?: AbortSignal; kind?: JudgeKind; probe?: (baseUrl: string, model: string) => Promise<ServerFacts> } = {},
): Promise<JudgeConfig> {
  const config = resolveJudgeConfig(input, options.kind);
  let facts: ServerFacts;
  try {
    facts = options.probe ? await options.probe(config.baseUrl, config.model) : await probeServer(config.baseUrl, { apiKey: options.apiKey, signal: options.signal, model: config.model });
  } catch (error) {
    if (error instanceof EvalBenchError) throw new ConfigError(`judge: ${error.message}`);
    throw new ConfigError(`judge: could not reach ${config.baseUrl}: ${errorMessage(error)}`);
  }
  if (facts.models.length > 0 && !facts.models.includes(config.model)) {
    throw new ConfigError(`judge: ${config.baseUrl} does not serve a model named '${config.model}'; it serves: ${facts.models.slice(0, 12).join(', ')}`);
  }
  return { ...config, serverFacts: facts };
}
