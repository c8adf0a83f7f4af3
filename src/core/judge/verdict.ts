/** Reading a grade out of a judge's reply. An unreadable reply is never a pass and never a fail. */
import type { JudgeScale } from './judgeConfig';

export interface JudgeVerdict {
  /** The grade as written: "PASS", "B", "7". */
  grade: string;
  /** 0..1 */
  score: number;
  passed: boolean;
  /** Which regex read it. */
  pattern: string;
}

const LETTER_SCORES: Record<string, number> = { A: 1, B: 0.75, C: 0.5, D: 0.25, E: 0, F: 0 };

/** The grade from the last match of the first regex that matches; undefined when none reads a grade of the scale. */
export function parseVerdict(reply: string, scale: JudgeScale, patterns: string[], passAt: number): JudgeVerdict | undefined {
  for (const pattern of patterns) {
    const matches = [...reply.matchAll(new RegExp(pattern, 'giu'))];
    if (matches.length === 0) continue;
    const grade = (matches[matches.length - 1][1] ?? '').trim();
    const score = gradeScore(grade, scale);
    if (score === undefined) continue;
    return { grade, score, passed: score >= passAt, pattern };
  }
  return undefined;
}

function gradeScore(grade: string, scale: JudgeScale): number | undefined {
  switch (scale) {
    case 'pass-fail': {
      const upper = grade.toUpperCase();
      return upper === 'PASS' ? 1 : upper === 'FAIL' ? 0 : undefined;
    }
    case 'letter':
      return LETTER_SCORES[grade.toUpperCase()];
    case '1-10': {
      const n = Number(grade);
      return Number.isInteger(n) && n >= 1 && n <= 10 ? n / 10 : undefined;
    }
  }
}

/** Fill a template's {{name}} placeholders; unknown placeholders stay as they are. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in values ? values[name] : whole));
}
