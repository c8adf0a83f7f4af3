/**
 * Pairwise judging over stored runs: which items both runs answered, and where reports are kept
 * (`<runsDir>/pairwise/<runA>--<runB>.json`, beside the run files, so `compare` can show them).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import type { RunReader } from '../storage/runHandles';
import type { PairOutcome, PairwiseInput, PairwiseItem, PairwiseReport, Preference } from './pairwise';

/** The items both runs answered (first sample of each), with the question and any reference; and what was left out. */
export function pairwiseInputs(a: RunReader, b: RunReader): { inputs: PairwiseInput[]; skipped: number } {
  const runA = a.run();
  const runB = b.run();
  if (runA.config.benchmarkId !== runB.config.benchmarkId) {
    throw new ConfigError(`runs ${runA.id} (${runA.config.benchmarkId}) and ${runB.id} (${runB.config.benchmarkId}) are of different benchmarks: nothing to compare item by item`);
  }
  const replies = (reader: RunReader) =>
    new Map(reader.samples({ status: 'done' }).filter((s) => s.sampleIndex === 0 && s.response !== undefined && s.response.trim() !== '').map((s) => [s.itemId, s.response!]));
  const repliesA = replies(a);
  const repliesB = replies(b);
  const inputs: PairwiseInput[] = [];
  let skipped = 0;
  for (const item of a.items()) {
    const responseA = repliesA.get(item.id);
    const responseB = repliesB.get(item.id);
    if (responseA === undefined || responseB === undefined) {
      skipped++;
      continue;
    }
    const messages = item.prompt.messages;
    const prompt = item.prompt.prompt ?? (messages?.length === 1 ? messages[0].content : (messages ?? []).map((m) => `${m.role}: ${m.content}`).join('\n\n'));
    inputs.push({ itemId: item.id, prompt, reference: referenceOf(item.data), responseA, responseB });
  }
  return { inputs, skipped };
}

function referenceOf(data: unknown): string | undefined {
  const d = data as Record<string, unknown> | null;
  if (!d || typeof d !== 'object') return undefined;
  if (typeof d.reference === 'string') return d.reference;
  if (Array.isArray(d.expected) && d.expected.length > 0 && d.expected.every((e) => typeof e === 'string')) return d.expected.join('\n');
  return undefined;
}

export function pairwiseFile(runsDir: string, runA: string, runB: string): string {
  return path.join(runsDir, 'pairwise', `${runA}--${runB}.json`);
}

export function savePairwiseReport(runsDir: string, report: PairwiseReport): string {
  const file = pairwiseFile(runsDir, report.runA, report.runB);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.part`;
  fs.writeFileSync(temp, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(temp, file);
  return file;
}

/** The stored report for A vs B, read in that orientation even when it was made as B vs A; undefined when none. */
export function loadPairwiseReport(runsDir: string, runA: string, runB: string): PairwiseReport | undefined {
  const direct = readReport(pairwiseFile(runsDir, runA, runB));
  if (direct) return direct;
  const reversed = readReport(pairwiseFile(runsDir, runB, runA));
  return reversed ? flipReport(reversed) : undefined;
}

function readReport(file: string): PairwiseReport | undefined {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as PairwiseReport;
    return report && typeof report.runA === 'string' && report.counts ? report : undefined;
  } catch {
    return undefined;
  }
}

const FLIP_OUTCOME: Record<PairOutcome, PairOutcome> = { win: 'loss', loss: 'win', tie: 'tie', inconsistent: 'inconsistent', error: 'error' };
const flipPreference = (p: Preference | null): Preference | null => (p === 'A' ? 'B' : p === 'B' ? 'A' : p);

/** The same judgements seen from the other run's side. */
export function flipReport(report: PairwiseReport): PairwiseReport {
  const { win, loss, ...rest } = report.counts;
  return {
    ...report,
    runA: report.runB,
    runB: report.runA,
    counts: { ...rest, win: loss, loss: win },
    winRate: report.winRate && { ...report.winRate, estimate: 1 - report.winRate.estimate, lo: 1 - report.winRate.hi, hi: 1 - report.winRate.lo },
    items: report.items.map((i): PairwiseItem => ({ ...i, inOrder: flipPreference(i.swapped), swapped: flipPreference(i.inOrder), outcome: FLIP_OUTCOME[i.outcome] })),
  };
}

/** Lines for `compare` and `pairwise`: win/tie/loss from B's side, the consistency check, the win rate and its CI. */
export function describePairwise(report: PairwiseReport): string[] {
  const c = report.counts;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `pairwise judge ${report.judge.model} (both orders; a verdict counts only when it agrees across the swap):`,
    `  B against A: ${c.win} win, ${c.tie} tie, ${c.loss} loss over ${c.win + c.tie + c.loss} consistent items; ${c.inconsistent} inconsistent (position bias), ${c.error} without a verdict, of ${report.judged} items`,
  ];
  if (report.winRate) {
    lines.push(`  B's win rate (win 1, tie ½, loss 0) ${pct(report.winRate.estimate)}, 95% CI ${pct(report.winRate.lo)} to ${pct(report.winRate.hi)}, n = ${report.winRate.n}`);
  } else if (c.error === report.judged) {
    // Not the judge's indifference: it never gave a readable answer (the items say why).
    lines.push('  no verdict: the judge failed on every item (no answer or no readable verdict; see the items in --json)');
  } else {
    lines.push('  no consistent verdict: the judge gave no preference that survived the order swap');
  }
  return lines;
}
