import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ApiKeyService } from '../auth/api-keys';
import { ApiKeyRole } from '../../entities/enums';
import { ConfigError, loadConfig } from '../config';
import { closeDatabase, createDataSource, openDatabase } from '../db/data-source';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';

const USAGE = `Usage:
  npm run apikey -- create --name NAME --role editor|integrator   prints the new key once
  npm run apikey -- list
  npm run apikey -- revoke ID
`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' } },
  });
  const [command, argument] = positionals;
  if (!['create', 'list', 'revoke'].includes(command)) usage(command ? `Unknown command "${command}".` : 'No command given.');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message);
    throw err;
  }
  const log = createLogger({ ...config, logLevel: 'warn' });
  const db = await openDatabase(createDataSource(config, log, createMetrics()));
  const keys = new ApiKeyService(db);
  try {
    if (command === 'create') {
      const name = values.name?.trim();
      const role = values.role?.toUpperCase() as ApiKeyRole | undefined;
      if (!name || name.length > 100) usage('--name is required (at most 100 characters).');
      if (!role || !Object.values(ApiKeyRole).includes(role)) usage('--role must be editor or integrator.');
      const { key, record } = await keys.create(name, role);
      process.stderr.write(`Created key ${record.id} "${record.name}" (${record.role}). It is shown only now; store it safely:\n`);
      process.stdout.write(`${key}\n`);
    } else if (command === 'list') {
      for (const k of await keys.list()) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${k.id}\t${k.role}\t${k.keyPrefix}…\t${k.name}\tcreated ${k.createdAt.toISOString()}\t${state}\n`);
      }
    } else {
      const id = Number(argument);
      if (!Number.isSafeInteger(id) || id < 1) usage('revoke needs the id of a key (see list).');
      if (!(await keys.revoke(id))) usage(`No key has the id ${id}.`);
      process.stdout.write(`Key ${id} is revoked.\n`);
    }
  } finally {
    await closeDatabase(db);
  }
}

main().catch((err) => {
  process.stderr.write(`apikey failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
