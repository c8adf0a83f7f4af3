import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStoreError } from '../../../src/core/errors';
import { RunStore } from '../../../src/core/storage/runStore';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/core/storage/schema';
import { loadSqlJs } from '../../../src/core/storage/sqlJs';
import { useTempDir } from '../../support/tempDir';
import { config, items, sample } from './fixtures/runFixtures';

describe('RunStore: files that are not usable runs', () => {
  const tmp = useTempDir('evalbench-storage-bad-');
  const runsDir = () => path.join(tmp.path, 'runs');

  /** A real multi-page run file to damage. */
  async function goodRunBytes(): Promise<Buffer> {
    const store = new RunStore(path.join(tmp.path, 'source'));
    const writer = await store.create(config(), { runId: 'src', items: items(40) });
    for (let i = 0; i < 40; i++) writer.putSample(sample(`q${i}`, 0, { response: `reply ${i} `.repeat(200) }));
    await writer.close();
    return fs.readFileSync(writer.file);
  }

  async function sqliteBytes(setup: string): Promise<Buffer> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(setup);
    const bytes = Buffer.from(db.export());
    db.close();
    return bytes;
  }

  /** Both openers refuse with `pattern`, the file stays byte-identical, and no lock is left behind. */
  async function assertRefused(bytes: Buffer, pattern: RegExp): Promise<void> {
    fs.mkdirSync(runsDir(), { recursive: true });
    const file = path.join(runsDir(), 'bad.sqlite');
    fs.writeFileSync(file, bytes);
    const store = new RunStore(runsDir());
    for (const open of [() => store.openReader('bad'), () => store.openWriter('bad')]) {
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof RunStoreError, `a RunStoreError, got ${String(error)}`);
        assert.match(error.message, pattern);
        assert.ok(error.message.includes(file), 'the message names the file');
        return true;
      });
    }
    const problems: string[] = [];
    assert.deepEqual(await store.listSummaries({ onProblem: (_f, reason) => problems.push(reason) }), []);
    assert.equal(problems.length, 1);
    assert.match(problems[0], pattern);
    await assert.rejects(store.create(config(), { runId: 'bad', items: items(1) }), /already exists/);
    assert.ok(fs.readFileSync(file).equals(bytes), 'the file is byte-identical');
    assert.deepEqual(fs.readdirSync(runsDir()), ['bad.sqlite'], 'no lock, temp or summary file left behind');
  }

  it('a text file', async () => {
    await assertRefused(Buffer.from('{"not": "a database"}\n'), /this is not a SQLite file, so not an EvalBench run; it was left as it is/);
  });

  it('an empty file', async () => {
    await assertRefused(Buffer.alloc(0), /the run file is empty/);
  });

  it('a file cut inside the header, and one cut mid-way', async () => {
    const good = await goodRunBytes();
    await assertRefused(good.subarray(0, 10), /the run file is truncated \(10 bytes/);
    const pageSize = good.readUInt16BE(16);
    const pages = good.length / pageSize;
    assert.ok(pages >= 4, `the source file has ${pages} pages`);
    await assertRefused(good.subarray(0, pageSize * 2), new RegExp(`truncated \\(2 of ${pages} pages\\)`));
    await assertRefused(good.subarray(0, pageSize * 2 + 100), /truncated \(\d+ bytes is not a whole number of \d+-byte pages\)/);
  });

  it('a file with damaged pages', async () => {
    const bad = Buffer.from(await goodRunBytes());
    const pageSize = bad.readUInt16BE(16);
    bad.fill(0xa5, pageSize, bad.length); // every page after the first
    await assertRefused(bad, /the run file is corrupt/);
  });

  it('another program\'s SQLite file', async () => {
    const foreign = await sqliteBytes("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');");
    await assertRefused(foreign, new RegExp(`this SQLite file is not an EvalBench run \\(application_id 0, expected ${APPLICATION_ID}\\)`));
  });

  it('a run file from a newer EvalBench', async () => {
    const newer = await sqliteBytes(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = 99; CREATE TABLE future (x);`);
    await assertRefused(newer, new RegExp(`schema version 99, newer than this EvalBench knows \\(${SCHEMA_VERSION}\\); update EvalBench`));
  });

  it('our file without its run row', async () => {
    const good = await goodRunBytes();
    const SQL = await loadSqlJs();
    const db = new SQL.Database(good);
    db.exec('DELETE FROM run');
    const empty = Buffer.from(db.export());
    db.close();
    await assertRefused(empty, /has no run record/);
  });
});
