import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createKeys, Keys } from './helpers/editors';
import { startGateway, TestGateway } from './helpers/gateway';
import { publishArticle } from './helpers/remote';
import { waitForStreams } from './helpers/ws';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'follow-articles.js');

function run(url: string, cursorFile: string): { child: ChildProcess; lines: () => string[] } {
  const child = spawn(process.execPath, [EXAMPLE, url, cursorFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, lines: () => out.split('\n').filter(Boolean) };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the README integrator example (examples/follow-articles.js)', () => {
  let gw: TestGateway;
  let keys: Keys;
  beforeAll(async () => {
    gw = await startGateway();
    keys = await createKeys(gw.db);
  });
  afterAll(() => gw.stop());

  it('prints new articles, and when run again prints only what it missed', async () => {
    const cursorFile = path.join(gw.dir, 'cursor');
    const first = run(gw.url, cursorFile);
    await waitForStreams(gw.url, 1);
    await publishArticle(gw.url, keys.editor, 'example-one');
    await until(() => first.lines().length === 1);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await waitForStreams(gw.url, 0);

    await publishArticle(gw.url, keys.editor, 'example-two');
    await publishArticle(gw.url, keys.editor, 'example-three');
    const second = run(gw.url, cursorFile);
    await until(() => second.lines().length === 2);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));

    const slugs = [...first.lines(), ...second.lines()].map((l) => JSON.parse(l).slug);
    expect(slugs).toEqual(['example-one', 'example-two', 'example-three']);
    expect(fs.readFileSync(cursorFile, 'utf8')).not.toBe('');
  });
});
