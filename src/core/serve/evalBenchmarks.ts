/**
 * The benchmarks `evalbench serve` offers through the Llama Stack eval API: the built-in ones, and
 * the ones registered by clients (a JSONL dataset and scoring functions), kept in
 * `<runsDir>/serve/benchmarks.json` so they outlive a restart of the server.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStateFile } from './stateFile';
import { ApiError } from './apiError';

/** The Llama Stack `Benchmark` resource, as the client reads it. */
export interface ServedBenchmark {
  identifier: string;
  provider_id: string;
  provider_resource_id: string;
  dataset_id: string;
  scoring_functions: string[];
  metadata: Record<string, unknown>;
  type: 'benchmark';
}

export const PROVIDER_ID = 'evalbench';
export const BUILT_IN_BENCHMARKS = ['ifeval', 'humaneval', 'gsm8k'] as const;

function builtIn(id: string): ServedBenchmark {
  return { identifier: id, provider_id: PROVIDER_ID, provider_resource_id: id, dataset_id: `${id} (bundled)`, scoring_functions: [id], metadata: { built_in: true }, type: 'benchmark' };
}

export class EvalBenchmarks {
  private readonly file: string;
  private registered = new Map<string, ServedBenchmark>();

  constructor(runsDir: string, private readonly cwd: string) {
    this.file = path.join(runsDir, 'serve', 'benchmarks.json');
    const list = readStateFile(this.file, (v) => Array.isArray(v) && v.every((b) => typeof b?.identifier === 'string')) as ServedBenchmark[] | undefined;
    for (const b of list ?? []) this.registered.set(b.identifier, b);
  }

  list(): ServedBenchmark[] {
    return [...BUILT_IN_BENCHMARKS.map(builtIn), ...this.registered.values()];
  }

  get(id: string): ServedBenchmark {
    if ((BUILT_IN_BENCHMARKS as readonly string[]).includes(id)) return builtIn(id);
    const found = this.registered.get(id);
    if (!found) throw new ApiError(404, `benchmark '${id}' not found; registered: ${this.list().map((b) => b.identifier).join(', ')}`);
    return found;
  }

  register(body: Record<string, unknown>): void {
    const id = body.benchmark_id;
    if (typeof id !== 'string' || !/^[\w.:-]{1,100}$/.test(id)) throw new ApiError(400, "benchmark_id must be a name of letters, digits, '.', ':', '_' or '-'");
    if ((BUILT_IN_BENCHMARKS as readonly string[]).includes(id)) throw new ApiError(400, `'${id}' is a built-in benchmark and cannot be registered again`);
    if (typeof body.dataset_id !== 'string' || body.dataset_id === '') throw new ApiError(400, 'dataset_id must be the path of a JSONL dataset file');
    const dataset = path.resolve(this.cwd, body.dataset_id);
    // Only dataset files: an API client must not get the server to read (and quote in an error) any file it names.
    if (!/\.jsonl(\.gz)?$/i.test(dataset)) throw new ApiError(400, 'dataset_id must be the path of a .jsonl (or .jsonl.gz) dataset file');
    if (!fs.existsSync(dataset) || !fs.statSync(dataset).isFile()) throw new ApiError(400, `dataset_id: no file at ${dataset}`);
    const functions = body.scoring_functions;
    if (!Array.isArray(functions) || functions.length === 0 || functions.some((f) => typeof f !== 'string')) throw new ApiError(400, 'scoring_functions must be a non-empty list of names');
    const metadata = body.metadata && typeof body.metadata === 'object' ? (body.metadata as Record<string, unknown>) : {};
    this.registered.set(id, { identifier: id, provider_id: PROVIDER_ID, provider_resource_id: id, dataset_id: dataset, scoring_functions: functions as string[], metadata, type: 'benchmark' });
    this.save();
  }

  unregister(id: string): void {
    if ((BUILT_IN_BENCHMARKS as readonly string[]).includes(id)) throw new ApiError(400, `'${id}' is built in and cannot be unregistered`);
    if (!this.registered.delete(id)) throw new ApiError(404, `benchmark '${id}' not found`);
    this.save();
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.part`;
    fs.writeFileSync(temp, JSON.stringify([...this.registered.values()], null, 2));
    fs.renameSync(temp, this.file);
  }
}
