import { DocumentNode, GraphQLError, GraphQLSchema, Kind, parse, print, validate } from 'graphql';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** An operation's identity: its printed form, so that whitespace and comments do not matter. */
export function operationKey(document: DocumentNode): string {
  return createHash('sha256').update(print(document)).digest('hex');
}

/**
 * The registered operations: each operation of every `*.graphql` file in `dir` (the schema file
 * aside), together with the fragments of its file. A file that does not parse or validate against
 * the schema stops the start, naming the file.
 */
export function loadAllowList(dir: string, schema: GraphQLSchema): Set<string> {
  const allowed = new Set<string>();
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql') && f !== 'schema.graphql');
  for (const file of files) {
    let document: DocumentNode;
    try {
      document = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`ALLOWED_OPERATIONS_DIR: ${file} does not parse: ${(err as Error).message}`, { cause: err });
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) throw new Error(`ALLOWED_OPERATIONS_DIR: ${file} does not match the schema: ${invalid[0].message}`);
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const operation of document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
      allowed.add(operationKey({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }));
    }
  }
  if (allowed.size === 0) throw new Error(`ALLOWED_OPERATIONS_DIR: ${dir} holds no operations`);
  return allowed;
}

export function notAllowedError(): GraphQLError {
  return new GraphQLError('This gateway runs registered operations only, and this one is not among them.', {
    extensions: { code: 'OPERATION_NOT_ALLOWED', http: { status: 400 } },
  });
}

