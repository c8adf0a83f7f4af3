/**
 * Eval jobs are ordinary EvalBench runs in the server's runs folder (so `evalbench list`, the VS Code
 * runs tree and compare see them); the job id is the run id. Which runs are jobs of which benchmark is
 * kept in `<runsDir>/serve/jobs.json`, so a restarted server still knows them and resumes the ones it
 * was running.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStateFile } from './stateFile';
import type { RunManager } from '../run/runManager';
import type { RunHandle, RunRequest } from '../run/types';
import type { RunStore } from '../storage/runStore';
import type { RunStatus } from '../storage/types';
import { errorMessage } from '../errors';
import { countOutcomes, isFinishedStatus, judgedCount, sampleOutcome, type OutcomeCounts } from '../outcome';
import { aggregatedAccuracy, outcomeDetail } from './aggregate';
import { ApiError } from './apiError';

export type JobStatus = 'scheduled' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

interface JobRecord {
  benchmarkId: string;
  scoringFunctions: string[];
  createdAt: string;
  /** A client cancelled it (DELETE): not resumed after a restart, unlike a job stopped with the server. */
  cancelledByClient?: boolean;
}

export class EvalJobs {
  private readonly file: string;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly active = new Map<string, RunHandle>();

  constructor(private readonly store: RunStore, private readonly manager: RunManager, private readonly log: (message: string) => void = () => {}) {
    this.file = path.join(store.runsDir, 'serve', 'jobs.json');
    const saved = readStateFile(this.file, (v) => v !== null && typeof v === 'object' && !Array.isArray(v)) as Record<string, JobRecord> | undefined;
    for (const [id, job] of Object.entries(saved ?? {})) this.jobs.set(id, job);
  }

  /**
   * After a restart: resume every job whose run was cut short: interrupted or left running by a killed
   * server, or cancelled because the server stopped (not by a client).
   */
  async resumeUnfinished(): Promise<string[]> {
    const resumed: string[] = [];
    for (const [id, job] of this.jobs) {
      const status = await this.runStatus(id).catch(() => undefined);
      const cutShort = status === 'interrupted' || status === 'running' || (status === 'cancelled' && !job.cancelledByClient);
      if (!cutShort) continue;
      try {
        this.track(id, await this.manager.resume(id));
        resumed.push(id);
      } catch (error) {
        this.log(`job ${id} could not be resumed: ${errorMessage(error)}`);
      }
    }
    return resumed;
  }

  async start(benchmarkId: string, scoringFunctions: string[], request: RunRequest): Promise<string> {
    let handles: RunHandle[];
    try {
      handles = await this.manager.start(request);
    } catch (error) {
      throw new ApiError(400, `the job could not start: ${errorMessage(error)}`);
    }
    const handle = handles[0];
    this.jobs.set(handle.runId, { benchmarkId, scoringFunctions, createdAt: new Date().toISOString() });
    this.save();
    this.track(handle.runId, handle);
    return handle.runId;
  }

  job(benchmarkId: string, jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job || job.benchmarkId !== benchmarkId) throw new ApiError(404, `job '${jobId}' of benchmark '${benchmarkId}' not found`);
    return job;
  }

  async status(benchmarkId: string, jobId: string): Promise<JobStatus> {
    return (await this.view(benchmarkId, jobId)).status;
  }

  /**
   * The job as the API shows it. A run that finished with no judged sample (every request failed) is a
   * failed job, not a completed one with a score of 0; `detail` says what happened to the samples.
   */
  async view(benchmarkId: string, jobId: string): Promise<{ job_id: string; status: JobStatus; detail?: string }> {
    this.job(benchmarkId, jobId);
    if (this.active.has(jobId)) return { job_id: jobId, status: 'in_progress' };
    const reader = await this.store.openReader(jobId);
    try {
      const run = reader.run();
      if (!isFinishedStatus(run.status)) return { job_id: jobId, status: statusOf(run.status), ...(run.error ? { detail: run.error } : {}) };
      const counts = firstSampleCounts(reader.samples(), reader.items().length);
      const detail = outcomeDetail(counts);
      return { job_id: jobId, status: judgedCount(counts) === 0 ? 'failed' : 'completed', ...(detail ? { detail } : {}) };
    } finally {
      reader.close();
    }
  }

  async cancel(benchmarkId: string, jobId: string): Promise<void> {
    const job = this.job(benchmarkId, jobId);
    job.cancelledByClient = true;
    this.save();
    const handle = this.active.get(jobId);
    if (!handle) return;
    handle.cancel();
    await handle.done;
  }

  /** Generations and scores in the client's EvaluateResponse shape; 409 while the job is not finished. */
  async result(benchmarkId: string, jobId: string): Promise<{ generations: Record<string, unknown>[]; scores: Record<string, unknown> }> {
    const job = this.job(benchmarkId, jobId);
    if (this.active.has(jobId)) throw new ApiError(409, `job '${jobId}' is in_progress; its result is available once it has completed`);
    const reader = await this.store.openReader(jobId);
    try {
      const run = reader.run();
      // A finished run with no judged sample is a failed job, but its result (each sample's outcome) is still given.
      if (!isFinishedStatus(run.status)) {
        const state = statusOf(run.status);
        throw new ApiError(409, state === 'in_progress' ? `job '${jobId}' is in_progress; its result is available once it has completed` : `job '${jobId}' is ${state}: it has no result (its samples are in run ${run.id})`);
      }
      const items = new Map(reader.items().map((item) => [item.id, item]));
      const samples = reader.samples().filter((s) => s.sampleIndex === 0);
      const generations = samples.map((s) => {
        const item = items.get(s.itemId);
        const prompt = item?.prompt.prompt ?? item?.prompt.messages?.map((m) => m.content).join('\n\n');
        return { item_id: s.itemId, input_query: prompt, generated_answer: s.response ?? null };
      });
      const rows = samples.map((s) => {
        const outcome = sampleOutcome(s);
        const judged = outcome === 'passed' || outcome === 'wrong';
        return { item_id: s.itemId, score: judged ? s.score!.score : null, outcome, explanation: s.score?.explanation.map((e) => e.detail).join('; ') ?? s.error ?? null };
      });
      const aggregated: Record<string, unknown> = { ...aggregatedAccuracy(countOutcomes(samples, items.size)) };
      // The benchmark's own metrics (IFEval's four accuracies, GSM8K strict and flexible…), over judged units:
      // over none, no value (its stored 0 would read as every answer wrong).
      aggregated.metrics = Object.fromEntries(run.metrics.map((m) => [m.name, { value: m.n > 0 ? m.value : null, n: m.n, label: m.label }]));
      const scores = Object.fromEntries(job.scoringFunctions.map((fn) => [fn, { score_rows: rows, aggregated_results: aggregated }]));
      return { generations, scores };
    } finally {
      reader.close();
    }
  }

  private track(id: string, handle: RunHandle): void {
    this.active.set(id, handle);
    void handle.done.finally(() => this.active.delete(id));
  }

  private async runStatus(id: string): Promise<RunStatus> {
    const reader = await this.store.openReader(id);
    try {
      return reader.run().status;
    } finally {
      reader.close();
    }
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.part`;
    fs.writeFileSync(temp, JSON.stringify(Object.fromEntries(this.jobs), null, 2));
    fs.renameSync(temp, this.file);
  }
}

/** Outcomes of each item's first sample (the one the result lists); items without one are pending. */
function firstSampleCounts(samples: { sampleIndex: number; status: 'done' | 'failed'; score?: { passed: boolean; failureCause?: string } }[], items: number): OutcomeCounts {
  return countOutcomes(samples.filter((s) => s.sampleIndex === 0), items);
}

function statusOf(status: RunStatus): JobStatus {
  switch (status) {
    case 'done':
    case 'done_with_errors':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'queued':
    case 'running':
    case 'interrupted':
      // Not active in this server: it was cut short, or waits for a run slot, or to be resumed.
      return 'scheduled';
  }
}
