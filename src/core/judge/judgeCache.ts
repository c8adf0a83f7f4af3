/**
 * Judge replies kept on disk, keyed on (judge model, template, inputs): re-opening or re-scoring a run
 * asks the judge nothing. Only successful replies are kept (a failure is asked again next time); the
 * reply text is kept, not the verdict, so a changed score regex re-reads the same reply.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CachedJudgeReply {
  text: string;
  model: string;
  storedAt: string;
}

export class JudgeCache {
  constructor(private readonly dir: string) {}

  static key(parts: { model: string; template: string; inputs: Record<string, string>; sampling?: unknown }): string {
    return createHash('sha256').update(stableJson(parts)).digest('hex');
  }

  get(key: string): CachedJudgeReply | undefined {
    try {
      const value = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CachedJudgeReply;
      return typeof value?.text === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, reply: CachedJudgeReply): void {
    const file = this.file(key);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(temp, JSON.stringify(reply));
      fs.renameSync(temp, file);
    } catch {
      // A cache that cannot be written only costs a judge call next time.
      fs.rmSync(temp, { force: true });
    }
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
