/** The LLM judge's command-line options, shared by `run` (custom rows with "scorer": "judge") and `pairwise`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JudgeConfig, JudgeScale } from '../core/judge';
import { UsageError, numberOption } from './args';

export const JUDGE_OPTIONS = {
  'judge-base-url': { type: 'string' },
  'judge-model': { type: 'string' },
  'judge-api-key': { type: 'string' },
  'judge-concurrency': { type: 'string' },
  'judge-scale': { type: 'string' },
  'judge-regex': { type: 'string', multiple: true },
  'judge-pass-at': { type: 'string' },
  'judge-template': { type: 'string' },
  'judge-max-tokens': { type: 'string' },
  'judge-temperature': { type: 'string' },
} as const;

export const JUDGE_OPTIONS_HELP = `  --judge-base-url URL   the judge's OpenAI-compatible server (often a bigger local model)
  --judge-model ID       the judge model
  --judge-api-key KEY    or set EVALBENCH_JUDGE_API_KEY (never stored)
  --judge-concurrency N  judge requests in flight (default 2), separate from --concurrency
  --judge-scale S        pass-fail | letter (A–F) | 1-10 (default pass-fail)
  --judge-regex RE       regex with one capture group for the grade (repeatable; default: the scale's)
  --judge-pass-at X      lowest passing score 0–1 (default: pass, C = 0.5, 7/10 = 0.7)
  --judge-template FILE  prompt template with {{prompt}} {{response}} {{reference}} {{rubric}}
  --judge-max-tokens N  --judge-temperature T   the judge's sampling (default 512, 0)`;

type JudgeValues = { [K in keyof typeof JUDGE_OPTIONS]?: (typeof JUDGE_OPTIONS)[K] extends { multiple: true } ? string[] : string };

/** The judge settings given on the command line, or undefined when no judge was asked for. */
export function judgeFrom(values: JudgeValues, cwd: string): Partial<JudgeConfig> | undefined {
  const anyGiven = Object.keys(JUDGE_OPTIONS).some((k) => values[k as keyof JudgeValues] !== undefined && k !== 'judge-api-key');
  if (!anyGiven) return undefined;
  if (!values['judge-base-url'] || !values['judge-model']) throw new UsageError('a judge needs both --judge-base-url and --judge-model');
  const judge: Partial<JudgeConfig> = { baseUrl: values['judge-base-url'], model: values['judge-model'] };
  const concurrency = numberOption(values['judge-concurrency'], 'judge-concurrency', { integer: true, min: 1 });
  if (concurrency !== undefined) judge.concurrency = concurrency;
  if (values['judge-scale']) judge.scale = values['judge-scale'] as JudgeScale;
  if (values['judge-regex']?.length) judge.scoreRegexes = values['judge-regex'];
  const passAt = numberOption(values['judge-pass-at'], 'judge-pass-at', { min: 0, max: 1 });
  if (passAt !== undefined) judge.passAt = passAt;
  if (values['judge-template']) {
    const file = path.resolve(cwd, values['judge-template']);
    try {
      judge.template = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--judge-template: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }
  const maxTokens = numberOption(values['judge-max-tokens'], 'judge-max-tokens', { integer: true, min: 1 });
  const temperature = numberOption(values['judge-temperature'], 'judge-temperature', { min: 0 });
  if (maxTokens !== undefined || temperature !== undefined) {
    judge.sampling = { temperature: temperature ?? 0, max_tokens: maxTokens ?? 512 };
  }
  return judge;
}
