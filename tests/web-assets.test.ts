import fs from 'node:fs';
import path from 'node:path';
import { startGateway, TestGateway } from './helpers/gateway';

// Everything the gateway's pages load comes from the gateway itself: checked here on the files it
// serves, and in the browser tests with every other host unreachable.

const CDN_HOSTS = /\b(?:esm\.sh|unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|embeddable-sandbox\.cdn\.apollographql\.com|apollo-server-landing-page\.cdn\.apollographql\.com)\b/;
/**
 * The only other hosts the served files name at all, none of them fetched (the browser tests block
 * every other host and see no attempt): namespace and schema identifiers, and documentation links
 * in the texts of GraphiQL, Monaco, React and graphql-js (error messages, hover help, an "about" link).
 */
const NAMED_NOT_FETCHED = new Set([
  'www.w3.org', // XML, SVG and MathML namespace URIs
  'json-schema.org', // JSON Schema $schema identifiers in Monaco's JSON worker
  'github.com',
  'code.visualstudio.com',
  'react.dev',
  'yarnpkg.com',
  'www.onegraph.com',
  'prettier.io',
  'microsoft.com',
  'en.wikipedia.org',
  'commonmark.org',
]);

function namedHosts(text: string): string[] {
  return [...text.matchAll(/\bhttps?:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1].toLowerCase());
}

/** Loading an absolute URL from script: a module, a worker, a script import or a fetch. */
const ABSOLUTE_LOAD = /(?:\bimport\s*\(|\bimportScripts\s*\(|new\s+(?:Shared)?Worker\s*\(|\bfetch\s*\()\s*["'`]https?:\/\//;

describe('the pages the gateway serves', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  async function assetsOf(pagePath: string): Promise<string[]> {
    const res = await fetch(`${gw.url}${pagePath}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    // What a browser loads: scripts and images (src), and the links it fetches (stylesheets, icons,
    // preloads); not anchors, canonical or alternate links (feeds), which only name pages.
    const sources = [...html.matchAll(/\bsrc="([^"]+)"/g)].map((m) => m[1]);
    const fetchedLinks = [...html.matchAll(/<link\b[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*>/g)].map((m) => /\bhref="([^"]+)"/.exec(m[0])![1]);
    const references = [...sources, ...fetchedLinks];
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^\/(?!\/)/);
    return references;
  }

  it.each(['/playground', '/graphql', '/', '/read/the-global-links-initiative-story'])('%s loads only files of this gateway, which load nothing from elsewhere', async (pagePath) => {
    for (const asset of await assetsOf(pagePath)) {
      const res = await fetch(`${gw.url}${asset}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(CDN_HOSTS);
      expect(namedHosts(text).filter((host) => !NAMED_NOT_FETCHED.has(host))).toEqual([]);
      if (asset.endsWith('.css')) {
        for (const [, url] of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) expect(url).toMatch(/^(?:data:|\.\/|[^:/]+$|\/(?!\/))/);
        expect(text).not.toMatch(/@import\s+(?:url\()?["']?https?:/);
      } else {
        expect(text).not.toMatch(ABSOLUTE_LOAD);
      }
    }
  });

  it('builds every bundle without a CDN reference, workers included', () => {
    const dir = path.join(__dirname, '..', 'dist', 'web');
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && /\.(js|css|html)$/.test(f.name));
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['playground.js', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js', 'reader.js']));
    for (const file of files) {
      const text = fs.readFileSync(path.join(file.parentPath, file.name), 'utf8');
      expect(text).not.toMatch(CDN_HOSTS);
      expect(text).not.toMatch(ABSOLUTE_LOAD);
      expect(namedHosts(text).filter((host) => !NAMED_NOT_FETCHED.has(host))).toEqual([]);
    }
  });

  it('answers API clients at /graphql as before', async () => {
    const res = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ licenses { key } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { licenses: unknown[] } }).data.licenses.length).toBeGreaterThan(0);
  });
});

describe('the playground setting', () => {
  it.each([
    [{ NODE_ENV: 'production' }, 404],
    [{ NODE_ENV: 'production', PLAYGROUND: 'true' }, 200],
    [{ NODE_ENV: 'development', PLAYGROUND: 'false' }, 404],
  ])('with %j, /playground answers %i', async (env, status) => {
    const gw = await startGateway({ env });
    try {
      expect((await fetch(`${gw.url}/playground`)).status).toBe(status);
      const viaGraphql = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(viaGraphql.headers.get('content-type')?.includes('text/html') ?? false).toBe(status === 200);
      expect((await fetch(`${gw.url}/read/the-global-links-initiative-story`)).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
