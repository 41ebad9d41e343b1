import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { ArticlePublishedDocument, ReferencePageDocument } from '../client/generated/graphql';
import { codes, startGateway, tempDir, TestGateway } from './helpers/gateway';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { connect, subscribe, waitForStreams } from './helpers/ws';

const SCHEMA_DIR = path.join(__dirname, '..', 'schema');

describe('allow-list mode (ALLOWED_OPERATIONS_DIR=schema)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { ALLOWED_OPERATIONS_DIR: SCHEMA_DIR } });
  });
  afterAll(() => gw.stop());

  it('runs a registered operation, however it is formatted', async () => {
    const variables = { slug: REFERENCE_SLUG, language: 'ja' };
    const typed = await gw.request(ReferencePageDocument, variables);
    expect(typed.errors).toBeUndefined();
    expect(typed.data!.article!.slug).toBe(REFERENCE_SLUG);
    const reformatted = `# sent by hand\n${print(ReferencePageDocument).replace(/\n\s*/g, ' ')}`;
    const res = await gw.raw(reformatted, variables);
    expect(res.errors).toBeUndefined();
  });

  it('refuses any other operation with 400 OPERATION_NOT_ALLOWED before any SQL runs', async () => {
    const before = await gw.sqlStatements();
    const res = await gw.raw(`{ article(slug: "${REFERENCE_SLUG}") { title } }`);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['OPERATION_NOT_ALLOWED']);
    expect(await gw.sqlStatements()).toBe(before);
  });

  it('holds over WebSocket too', async () => {
    const client = connect(gw.url);
    const registered = subscribe(client, ArticlePublishedDocument, {});
    const unregistered = subscribe(client, parse('subscription { articlePublished { cursor } }') as TypedDocumentNode<unknown, object>, {});
    await waitForStreams(gw.url, 1);
    await expect(unregistered.waitFor(1, 2000)).rejects.toThrow();
    expect(unregistered.errors.map((e) => e.extensions?.code)).toEqual(['OPERATION_NOT_ALLOWED']);
    expect(registered.errors).toEqual([]);
    await client.dispose();
  });
});

it('stops the start when a registered file does not match the schema, naming the file', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'broken.graphql'), 'query Broken { noSuchField }');
  await expect(startGateway({ env: { ALLOWED_OPERATIONS_DIR: dir } })).rejects.toThrow(/broken\.graphql does not match the schema/);
  fs.rmSync(dir, { recursive: true, force: true });
});
