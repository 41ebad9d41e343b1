// What a driver error says about the database, whichever driver raised it.

/** SQLite answered "busy" after its 5 s wait: another writer holds the database. Worth a retry. */
export function isDatabaseBusy(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code ?? '')}` : String(error);
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/.test(text);
}

// PostgreSQL stopped, restarting, refusing connections, or a connection cut mid-statement.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const UNREACHABLE_TEXT = /Connection terminated|timeout exceeded when trying to connect|not currently accepting connections|Client has encountered a connection error/i;

export function isDatabaseUnreachable(error: unknown): boolean {
  const causes = [error, (error as { driverError?: unknown } | null)?.driverError, (error as { cause?: unknown } | null)?.cause];
  return causes.some(
    (e) => e instanceof Error && (UNREACHABLE_CODES.has(String((e as { code?: unknown }).code)) || UNREACHABLE_TEXT.test(e.message)),
  );
}

/** PostgreSQL cancelled a statement that ran past statement_timeout (57014), as under a lock or an overload. */
export function isStatementTimeout(error: unknown): boolean {
  const causes = [error, (error as { driverError?: unknown } | null)?.driverError, (error as { cause?: unknown } | null)?.cause];
  return causes.some((e) => e instanceof Error && String((e as { code?: unknown }).code) === '57014');
}
