import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStoreError } from '../../../src/core/errors';
import { RunStore } from '../../../src/core/storage/runStore';
import { loadRunDatabase } from '../../../src/core/storage/runFile';
import { DEFAULT_FLUSH, DbRunWriter } from '../../../src/core/storage/runWriter';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../../src/core/storage/schema';
import { loadSqlJs } from '../../../src/core/storage/sqlJs';
import { useTempDir } from '../../support/tempDir';
import { config, items, sample } from './fixtures/runFixtures';

describe('run file schema migrations', () => {
  const tmp = useTempDir('evalbench-storage-migrate-');

  // A made-up next version: what a real step to the version after the newest would look like.
  const NEXT = SCHEMA_VERSION + 1;
  const v2: Migration = {
    version: NEXT,
    up(db) {
      db.exec("ALTER TABLE samples ADD COLUMN reasoning TEXT; UPDATE samples SET reasoning = 'none'");
    },
  };

  it('a new file is at the newest version', async () => {
    const store = new RunStore(tmp.path);
    const writer = await store.create(config(), { runId: 'r', items: items(1) });
    await writer.close();
    const { db } = await loadRunDatabase(writer.file);
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
    db.close();
  });

  it('upgrades a file at the newest version one more step, keeping its data, without touching the file when only reading', async () => {
    const store = new RunStore(tmp.path);
    const writer = await store.create(config(), { runId: 'r', items: items(2) });
    writer.putSample(sample('q0'));
    writer.putSample(sample('q1'));
    await writer.close();
    const before = fs.readFileSync(writer.file);

    const { db, migrated, record } = await loadRunDatabase(writer.file, [...MIGRATIONS, v2]);
    assert.equal(migrated, true);
    assert.equal(record.id, 'r');
    assert.equal(schemaVersion(db), NEXT);
    assert.deepEqual(db.exec('SELECT item_id, reasoning FROM samples ORDER BY item_id')[0].values, [['q0', 'none'], ['q1', 'none']]);
    db.close();
    assert.ok(fs.readFileSync(writer.file).equals(before), 'loading never writes');
    const again = await loadRunDatabase(writer.file);
    assert.equal(again.migrated, false, 'already at the newest version: nothing to do');
    again.db.close();
  });

  it('a failing step is rolled back and named', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db, MIGRATIONS);
    const broken: Migration = { version: NEXT, up: (d) => d.exec('CREATE TABLE half (x); SELECT * FROM no_such_table') };
    assert.throws(() => migrate(db, [...MIGRATIONS, broken]), (error: unknown) => error instanceof RunStoreError && error.message.includes(`could not upgrade the run file to schema version ${NEXT}: no such table`));
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.equal(db.exec("SELECT name FROM sqlite_master WHERE name = 'half'").length, 0, 'the half-done step left nothing');
    db.close();
  });

  it('a writer saves an upgraded file with its first flush', async () => {
    const store = new RunStore(tmp.path);
    const writer = await store.create(config(), { runId: 'old', items: items(1) });
    writer.putSample(sample('q0'));
    await writer.close();

    const withV2 = [...MIGRATIONS, v2];
    const loaded = await loadRunDatabase(writer.file, withV2);
    const summaryFile = path.join(tmp.path, 'old.summary.json');
    const upgraded = DbRunWriter.fromDatabase('old', writer.file, loaded.db, loaded.record, summaryFile, () => {}, DEFAULT_FLUSH, loaded.migrated);
    await upgraded.close(); // nothing changed but the schema: still saved

    const after = await loadRunDatabase(writer.file, withV2);
    assert.equal(after.migrated, false, 'already at the next version on disk');
    assert.equal(schemaVersion(after.db), NEXT);
    assert.deepEqual(after.db.exec('SELECT reasoning FROM samples')[0].values, [['none']]);
    after.db.close();
    await assert.rejects(store.openReader('old'), (e: Error) => e.message.includes(`schema version ${NEXT}, newer than this EvalBench knows (${SCHEMA_VERSION})`));
  });
});
