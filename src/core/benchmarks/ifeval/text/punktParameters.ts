/**
 * Punkt's trained parameters, read from NLTK's `punkt_tab` text format: a language folder holding
 *   abbrev_types.txt   one abbreviation type per line (lower-case, without the final period)
 *   collocations.tab   "type1<TAB>type2" per line
 *   sent_starters.txt  one frequent sentence starter per line
 *   ortho_context.tab  "type<TAB>flags" per line (flags: the _ORTHO_* bits)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from '../../../errors';

export const PUNKT_FILES = ['abbrev_types.txt', 'collocations.tab', 'sent_starters.txt', 'ortho_context.tab'] as const;

export interface PunktParameters {
  readonly abbrevTypes: ReadonlySet<string>;
  /** Collocations as first type → set of second types. */
  readonly collocations: ReadonlyMap<string, ReadonlySet<string>>;
  readonly sentStarters: ReadonlySet<string>;
  /** Missing types have context 0, like NLTK's defaultdict(int). */
  readonly orthoContext: ReadonlyMap<string, number>;
}

export type PunktFileContents = Record<(typeof PUNKT_FILES)[number], string>;

// Lines are kept verbatim apart from the line break, as NLTK's TabDecoder (rm_nl) reads them: the
// English model has the abbreviation type ". . " (trailing space, for the token ". . .").
// "\r\n" is accepted too, as Python's universal-newline reading would.
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line !== '');
}

function splitTab(line: string, file: string, lineNo: number): [string, string] {
  const tab = line.indexOf('\t');
  if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
    throw new DatasetError(`expected two tab-separated fields, found ${JSON.stringify(line)}`, `${file}:${lineNo}`);
  }
  return [line.slice(0, tab), line.slice(tab + 1)];
}

/** Parses the four punkt_tab files' contents. `where` names their folder in error messages. */
export function parsePunktParameters(files: PunktFileContents, where = 'punkt_tab'): PunktParameters {
  const abbrevTypes = new Set(lines(files['abbrev_types.txt']));
  const sentStarters = new Set(lines(files['sent_starters.txt']));

  // File names for error messages are joined once: per line, path.join was a third of a cold parse.
  const collocationsFile = path.join(where, 'collocations.tab');
  const orthoFile = path.join(where, 'ortho_context.tab');
  const collocations = new Map<string, Set<string>>();
  lines(files['collocations.tab']).forEach((line, i) => {
    const [first, second] = splitTab(line, collocationsFile, i + 1);
    let seconds = collocations.get(first);
    if (!seconds) collocations.set(first, (seconds = new Set()));
    seconds.add(second);
  });

  const orthoContext = new Map<string, number>();
  lines(files['ortho_context.tab']).forEach((line, i) => {
    const file = orthoFile;
    const [type, flags] = splitTab(line, file, i + 1);
    const value = Number(flags);
    if (!/^\d+$/.test(flags) || !Number.isSafeInteger(value)) {
      throw new DatasetError(`orthographic context ${JSON.stringify(flags)} is not a whole number`, `${file}:${i + 1}`);
    }
    // As NLTK's TabDecoder.tab2ivdict: a repeated type keeps its last value (NLTK's files have none).
    orthoContext.set(type, value);
  });

  if (abbrevTypes.size === 0 || orthoContext.size === 0) {
    throw new DatasetError(
      `Punkt parameters in ${where} look empty (abbreviations: ${abbrevTypes.size}, orthographic contexts: ${orthoContext.size}); ` +
        'use a complete copy of NLTK\'s punkt_tab/english, or none to use the bundled one',
    );
  }
  return { abbrevTypes, collocations, sentStarters, orthoContext };
}

/** Names the punkt_tab files missing from `dir` (empty when the folder is complete). */
export function missingPunktFiles(dir: string): string[] {
  return PUNKT_FILES.filter((name) => !fs.existsSync(path.join(dir, name)));
}

/**
 * Reads a punkt_tab language folder (for English: `.../punkt_tab/english`) synchronously.
 * Throws a DatasetError naming the first missing or unreadable file.
 */
export function loadPunktParameters(dir: string): PunktParameters {
  const contents = {} as PunktFileContents;
  for (const name of PUNKT_FILES) {
    const file = path.join(dir, name);
    try {
      contents[name] = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `could not be read (${(error as Error).message})`;
      throw new DatasetError(
        `Punkt parameter file ${file} ${reason}; point EvalBench at NLTK's punkt_tab/english folder ` +
          '(it holds abbrev_types.txt, collocations.tab, sent_starters.txt and ortho_context.tab) or give none to use the copy bundled with EvalBench',
      );
    }
  }
  return parsePunktParameters(contents, dir);
}
