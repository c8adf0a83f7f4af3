/** Shared helpers for the IFEval text tests: the Punkt English tokenizer built from the shared data. */
import * as path from 'node:path';
import { PunktSentenceTokenizer, loadPunktParameters } from '../../../src/core/benchmarks/ifeval/text/punkt';
import { pyStrip } from '../../../src/core/benchmarks/ifeval/text/pythonStr';
import { bundledPunktEnglishDir } from '../../support/sharedData';

let cached: PunktSentenceTokenizer | undefined;

/** Punkt with NLTK's trained English parameters (the bundled copy: Punkt itself is not reference data). */
export function englishPunkt(_ctx?: Mocha.Context): PunktSentenceTokenizer {
  const dir = bundledPunktEnglishDir();
  cached ??= new PunktSentenceTokenizer(loadPunktParameters(dir));
  return cached;
}

/** The eight loose-mode candidates of the official scorer, in its order (CHECKERS.md §2). */
export function looseVariants(response: string): string[] {
  const lines = response.split('\n');
  const noFirst = pyStrip(lines.slice(1).join('\n'));
  const noLast = pyStrip(lines.slice(0, -1).join('\n'));
  const noBoth = pyStrip(lines.slice(1, -1).join('\n'));
  const noStars = (text: string) => text.split('*').join('');
  return [response, noStars(response), noFirst, noLast, noBoth, noStars(noFirst), noStars(noLast), noStars(noBoth)];
}
