import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { toGlobalId } from '../src/graphql/global-id';
import { encodeCursor } from '../src/graphql/pagination';
import { projectRoot } from '../src/project-root';

const ROOT = projectRoot();
const REFERENCE = 'the-global-links-initiative-story';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Called by autocannon before each send, to give every write its own reader. */
  setupRequest?: (req: HttpRequest) => HttpRequest;
}

export interface Workload {
  id: string;
  title: string;
  gateway: HttpRequest[];
  /** The same work against the raw baseline; null where the baseline does not implement it. */
  raw: HttpRequest[] | null;
  /** Measured a second time with the response cache on, reported apart from the cold path. */
  cached?: boolean;
  /** Also measured on plain Apollo Server 5, the floor of the gateway's stack. */
  floor?: boolean;
  /** A route beside /graphql, which another checkout (--before) may not serve: measured on this one only. */
  route?: boolean;
  /** Connections at once, where the run's number would not be what clients do (a crawler reads a few sitemaps at a time). */
  connections?: number;
}

const json = { 'content-type': 'application/json' };

function graphql(query: string, variables: Record<string, unknown>): HttpRequest {
  return { method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query, variables }) };
}

/**
 * Facts the workloads need from the database they will run against: a deep cursor and articles to
 * request. The operations are read from `root`'s schema/ (another checkout's, for --before).
 */
export function workloads(sqlitePath: string, root = ROOT): Workload[] {
  const operation = (file: string) => fs.readFileSync(path.join(root, 'schema', file), 'utf8');
  const db = new Database(sqlitePath, { readonly: true });
  const published = (db.prepare("SELECT COUNT(*) AS n FROM article WHERE status = 'PUBLISHED'").get() as { n: number }).n;
  const deep = db
    .prepare("SELECT id, published_at FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?")
    .get(Math.min(50_000, Math.floor(published / 2))) as { id: number; published_at: string };
  const originals = (
    db.prepare("SELECT id FROM article WHERE status = 'PUBLISHED' AND translation_of_id IS NULL AND language <> 'ja' ORDER BY id LIMIT 2000").all() as Array<{
      id: number;
    }>
  ).map((r) => r.id);
  db.close();

  const deepCursor = encodeCursor({ kind: 'pd', value: deep.published_at, rowId: deep.id });
  let reader = 0;
  const writes = (raw: boolean): HttpRequest => {
    const template: HttpRequest = raw
      ? { method: 'POST', path: '/w5', headers: json }
      : graphql(operation('request-translation.graphql'), {});
    return {
      ...template,
      setupRequest: (req) => {
        reader += 1;
        const articleId = originals[reader % originals.length];
        const variables = { articleId: raw ? articleId : toGlobalId('Article', articleId), language: 'ja' };
        return {
          ...req,
          headers: { ...req.headers, 'x-reader-id': `bench-reader-${process.pid}-${reader}` },
          body: raw ? JSON.stringify(variables) : JSON.stringify({ query: operation('request-translation.graphql'), variables }),
        };
      },
    };
  };

  const w1 = graphql(operation('reference-page.graphql'), { slug: REFERENCE, language: 'ja' });
  const w1raw: HttpRequest = { method: 'GET', path: `/w1?slug=${REFERENCE}&language=ja`, headers: {} };
  const w2 = graphql(operation('home-list.graphql'), { first: 20, language: 'ja' });
  const w2raw: HttpRequest = { method: 'GET', path: '/w2?first=20&language=ja', headers: {} };
  const mix = (read1: HttpRequest, read2: HttpRequest, write: HttpRequest) => [
    ...Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? read1 : read2)),
    write,
  ];
  return [
    {
      id: 'W0',
      title: 'floor: `{ __typename }`, no data',
      gateway: [graphql('{ __typename }', {})],
      raw: [{ method: 'GET', path: '/w0', headers: {} }],
      floor: true,
    },
    { id: 'W1', title: 'reference page by slug', gateway: [w1], raw: [w1raw], cached: true },
    { id: 'W2', title: 'home list, first 20', gateway: [w2], raw: [w2raw], cached: true },
    {
      id: 'W3',
      title: `home list past article ${Math.min(50_000, Math.floor(published / 2))}`,
      gateway: [graphql(operation('home-list.graphql'), { first: 20, after: deepCursor, language: 'ja' })],
      raw: [{ method: 'GET', path: `/w2?first=20&language=ja&after=${deepCursor}`, headers: {} }],
    },
    { id: 'W4', title: 'search "policy", first 20', gateway: [graphql(operation('search.graphql'), { query: 'policy', first: 20 })], raw: null },
    { id: 'W5', title: 'requestTranslation, a new reader each', gateway: [writes(false)], raw: [writes(true)] },
    { id: 'W6', title: '90% W1/W2, 10% W5', gateway: mix(w1, w2, writes(false)), raw: mix(w1raw, w2raw, writes(true)), cached: true },
    { id: 'W7', title: 'RSS feed of the archive, 50 entries', gateway: [{ method: 'GET', path: '/feeds/articles.rss', headers: {} }], raw: null, route: true },
    {
      id: 'W8',
      title: 'sitemap index and shard 0 (up to 50,000 URLs) in turn, over 2 connections',
      gateway: [
        { method: 'GET', path: '/sitemap.xml', headers: {} },
        { method: 'GET', path: '/sitemaps/articles-0.xml', headers: {} },
      ],
      raw: null,
      route: true,
      connections: 2,
    },
  ];
}
