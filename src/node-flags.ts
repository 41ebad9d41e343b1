/**
 * V8 flags for the process that runs the gateway, by the database it will use. They size the young
 * generation, which V8 reads only when it makes the heap, so they go on node's command line
 * (`npm start` prints them with src/cli/node-flags.ts) rather than into main.ts.
 *
 * On the sqlite3 driver a request waits for the thread pool at each statement, and what it holds
 * meanwhile was copied by every young-generation collection that came first. With 16-32 MB
 * semi-spaces instead of V8's 1-16 MB more requests finish between two collections: W2 +19 % and
 * W1 +11 % there (interleaved A/B, 3 rounds, every round faster). better-sqlite3 gained nothing and
 * its peak RSS under the write mixes grew by 60-80 MB; PostgreSQL is not measured with them. So
 * only the sqlite3 driver gets them.
 */
export function nodeFlags(env: NodeJS.ProcessEnv): string[] {
  const onSqlite3 = !env.DATABASE_URL && (env.DB_DRIVER ?? 'sqlite3') === 'sqlite3';
  return onSqlite3 ? ['--min-semi-space-size=16', '--max-semi-space-size=32'] : [];
}
