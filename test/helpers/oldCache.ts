// Builds the Python glacier-cli's cache the way that tool wrote it: SQLAlchemy's table for
// its declarative class `Archive` (sqlite3 through python3, as pysqlite did), one row per
// archive, times as the tool stored them: time.time() floats for created_here and
// deleted_here, whole seconds for last_seen_upstream.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OldRow {
  id: string;
  name: string | null;
  vault: string;
  key: string;
  /** Unix seconds. */
  lastSeenUpstream?: number | null;
  createdHere?: number | null;
  deletedHere?: number | null;
}

const WRITER = `
import json, sqlite3, sys
path, rows = sys.argv[1], json.loads(sys.stdin.read())
db = sqlite3.connect(path)
db.execute('''CREATE TABLE IF NOT EXISTS archive (
\tid VARCHAR NOT NULL, 
\tname VARCHAR, 
\tvault VARCHAR NOT NULL, 
\t"key" VARCHAR NOT NULL, 
\tlast_seen_upstream INTEGER, 
\tcreated_here INTEGER, 
\tdeleted_here INTEGER, 
\tPRIMARY KEY (id)
)''')
for row in rows:
    db.execute('INSERT INTO archive (id, name, vault, "key", last_seen_upstream, created_here, deleted_here) VALUES (?, ?, ?, ?, ?, ?, ?)',
               (row['id'], row['name'], row['vault'], row['key'], row.get('lastSeenUpstream'), row.get('createdHere'), row.get('deletedHere')))
db.commit()
db.close()
`;

/** Write (or add to) an old-format cache at `path`. */
export function writeOldCache(path: string, rows: OldRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const result = spawnSync('python3', ['-c', WRITER, path], { input: JSON.stringify(rows), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 could not write the old cache: ${result.stderr}`);
}

/** python3 code that holds a write transaction open on the old cache (argv[1]) until its stdin closes. */
export const OLD_CACHE_LOCKER = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute('BEGIN EXCLUSIVE')
db.execute("INSERT INTO archive (id, name, vault, \\"key\\") VALUES ('locker-row', 'x', 'v', 'k')")
print('locked', flush=True)
sys.stdin.read()
db.execute('ROLLBACK')
`;
