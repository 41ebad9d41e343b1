import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { globalId } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { acknowledgedRaw, RawSocket } from './helpers/raw-ws';
import { createKeyWithCli } from './helpers/remote';
import { REFERENCE_SLUG } from './helpers/seed-content';
import { waitForStreams } from './helpers/ws';

const ROOT = path.join(__dirname, '..');

let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({ env: { TRANSLATION_REQUESTS_PER_MINUTE: '1000' } });
});

afterAll(() => gw.stop());

/** A new editor key made by `npm run apikey -- create`, and its id. */
async function editorKey(): Promise<{ key: string; id: number }> {
  const key = createKeyWithCli(gw.databaseEnv, 'editor');
  const [row] = await gw.sql('SELECT id FROM api_key WHERE key_prefix = :prefix', { prefix: key.slice(0, 10) });
  return { key, id: Number(row.id) };
}

/** `npm run apikey -- revoke ID`, from another process, as an operator would. */
function revokeWithCli(id: number): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli', 'apikey.js'), 'revoke', String(id)], {
    cwd: ROOT,
    env: { ...process.env, ...gw.databaseEnv },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`apikey revoke failed: ${run.stderr}`);
}

function socketAs(key: string): Promise<RawSocket> {
  return acknowledgedRaw(gw.url, { authorization: `Bearer ${key}` });
}

async function closedWithin(raw: RawSocket, ms: number): Promise<{ code: number; reason: string } | 'open'> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), ms)));
  try {
    return await Promise.race([raw.closed, open]);
  } finally {
    clearTimeout(timer);
  }
}

describe('an API key revoked while its WebSocket is open', () => {
  it('runs no further operation on that socket: publishArticle is refused and the socket closes with 4403', async () => {
    const { key, id } = await editorKey();
    const raw = await socketAs(key);
    raw.send({
      id: 'create',
      type: 'subscribe',
      payload: { query: 'mutation { createArticle(input: { slug: "revoked-on-the-socket", title: "Draft", language: "en", section: "News" }) { id status } }' },
    });
    const created = (await raw.next((m) => m.id === 'create' && m.type === 'next')).payload as { data: { createArticle: { id: string; status: string } } };
    expect(created.data.createArticle.status).toBe('DRAFT');

    revokeWithCli(id);
    raw.send({ id: 'publish', type: 'subscribe', payload: { query: `mutation { publishArticle(id: "${created.data.createArticle.id}") { status } }` } });

    expect(await closedWithin(raw, 3000)).toMatchObject({ code: 4403 });
    expect(raw.messages.filter((m) => m.id === 'publish' && m.type === 'next')).toEqual([]);
    const [article] = await gw.sql('SELECT status FROM article WHERE slug = :slug', { slug: 'revoked-on-the-socket' });
    expect(article.status).toBe('DRAFT');
  });

  it('stops an open translationRequested subscription before the next event and closes the socket with 4403', async () => {
    const [row] = await gw.sql('SELECT id FROM article WHERE slug = :slug', { slug: REFERENCE_SLUG });
    const articleId = globalId('Article', row.id);
    const ask = (reader: string) =>
      gw.raw('mutation($id: ID!) { requestTranslation(input: { articleId: $id, language: "fi" }) { alreadyRequested } }', { id: articleId }, {
        'x-reader-id': reader,
      });
    const { key, id } = await editorKey();
    const raw = await socketAs(key);
    raw.send({ id: 'requests', type: 'subscribe', payload: { query: 'subscription { translationRequested { cursor language } }' } });
    await waitForStreams(gw.url, 1);
    await ask('reader-before');
    await raw.next((m) => m.id === 'requests' && m.type === 'next');

    revokeWithCli(id);
    await ask('reader-after');

    expect(await closedWithin(raw, 5000)).toMatchObject({ code: 4403 });
    expect(raw.messages.filter((m) => m.id === 'requests' && m.type === 'next')).toHaveLength(1);
    await waitForStreams(gw.url, 0);
  });

  it('keeps serving the sockets of other keys: revoking one key closes only its own sockets', async () => {
    const revoked = await editorKey();
    const kept = await editorKey();
    const [gone, staying] = await Promise.all([socketAs(revoked.key), socketAs(kept.key)]);
    revokeWithCli(revoked.id);
    staying.send({
      id: 'create',
      type: 'subscribe',
      payload: { query: 'mutation { createArticle(input: { slug: "kept-key-draft", title: "Draft", language: "en", section: "News" }) { status } }' },
    });
    expect((await staying.next((m) => m.id === 'create' && m.type === 'next')).payload).toEqual({ data: { createArticle: { status: 'DRAFT' } } });
    gone.send({ id: 'probe', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await closedWithin(gone, 3000)).toMatchObject({ code: 4403 });
    expect(await closedWithin(staying, 200)).toBe('open');
    staying.socket.close();
    await staying.closed;
  });
});
