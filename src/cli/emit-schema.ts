import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { projectRoot } from '../project-root';
import { createSchema } from '../graphql/schema';

// The committed schema is the contract clients and codegen build on; CI fails when code and file differ.
async function main(): Promise<void> {
  const file = path.join(projectRoot(), 'schema', 'schema.graphql');
  const printed = `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== printed) {
      process.stderr.write('schema/schema.graphql differs from the schema the code builds. Run `npm run schema:emit` and commit it.\n');
      process.exit(1);
    }
    process.stdout.write('schema/schema.graphql matches the code.\n');
    return;
  }
  fs.writeFileSync(file, printed);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
