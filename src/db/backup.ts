import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export interface BackupResult {
  integrity: string;
  articles: number;
}

/**
 * A consistent copy of a live SQLite database, taken while the gateway serves. VACUUM INTO reads
 * one snapshot (a WAL read transaction), so writers are never blocked and the copy never mixes
 * states; unlike the page-by-page backup API it does not restart when others write. The copy is
 * then checked on its own.
 */
export function backUpSqlite(sqlitePath: string, destination: string): BackupResult {
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  const source = new Database(sqlitePath, { fileMustExist: true, timeout: 5000 });
  try {
    source.prepare('VACUUM INTO ?').run(destination);
  } finally {
    source.close();
  }
  const copy = new Database(destination, { readonly: true });
  try {
    const integrity = String(copy.pragma('integrity_check', { simple: true }));
    const articles = (copy.prepare('SELECT COUNT(*) AS n FROM article').get() as { n: number }).n;
    return { integrity, articles };
  } finally {
    copy.close();
  }
}
