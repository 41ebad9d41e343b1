/**
 * The raw baseline: what a hand-written server does with no GraphQL and no ORM. node:http,
 * better-sqlite3 prepared statements, the fewest statements that answer the reference page (W1),
 * the home list (W2/W3) and requestTranslation (W5), writing the same JSON the gateway writes; W0
 * answers `{ __typename }` with no database at all, the floor of any HTTP server.
 */
import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { toGlobalId } from '../src/graphql/global-id';
import { translationTarget } from '../src/translations/language';
import { decodeCursor, encodeCursor } from '../src/graphql/pagination';
import { imageCredit } from '../src/catalog/image-credit';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the baseline reads rows as its SQL shapes them, unchecked, as hand-written code would
type Row = Record<string, any>;

const db = new Database(process.env.SQLITE_PATH as string);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');

const iso = (t: string | null) => (t == null ? null : `${t.replace(' ', 'T')}Z`);
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

const CARD = `a.id, a.slug, a.kind, a.title, a.display_title, a.section, a.summary, a.body, a.language, a.published_at, a.translation_of_id,
  p.key AS p_key, p.name AS p_name, l.key AS l_key, l.name AS l_name, l.short_name AS l_short, l.url AS l_url,
  i.title AS i_title, i.creator AS i_creator, i.source_url AS i_source, i.license_id AS i_license_id,
  il.key AS il_key, il.short_name AS il_short, il.url AS il_url`;
const CARD_FROM = `article a LEFT JOIN publication p ON p.id = a.publication_id LEFT JOIN license l ON l.id = a.license_id
  LEFT JOIN image i ON i.id = a.hero_image_id LEFT JOIN license il ON il.id = i.license_id`;

const bySlug = db.prepare(`SELECT ${CARD} FROM ${CARD_FROM} WHERE a.slug = ? AND a.status = 'PUBLISHED'`);
const feed = db.prepare(`SELECT ${CARD} FROM ${CARD_FROM} WHERE a.status = 'PUBLISHED' ORDER BY a.published_at DESC, a.id DESC LIMIT ?`);
const feedAfter = db.prepare(
  `SELECT ${CARD} FROM ${CARD_FROM} WHERE a.status = 'PUBLISHED' AND (a.published_at, a.id) < (?, ?) ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
);
const statements = new Map<string, Database.Statement>();
function prepared(sql: string): Database.Statement {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
}

function related(ids: number[]): Row[] {
  return prepared(
    `SELECT r.article_id AS owner, a.id, a.slug, a.kind, a.title, a.summary, a.published_at FROM article_related r CROSS JOIN article a
      WHERE a.id = r.related_id AND r.article_id IN (${placeholders(ids.length)}) AND a.status = 'PUBLISHED' ORDER BY r.article_id, r.position`,
  ).all(...ids) as Row[];
}

function authors(ids: number[]): Map<number, Row[]> {
  const rows = prepared(
    `SELECT aa.article_id AS owner, au.id, au.slug, au.name FROM article_author aa JOIN author au ON au.id = aa.author_id
      WHERE aa.article_id IN (${placeholders(ids.length)}) ORDER BY aa.article_id, aa.position`,
  ).all(...ids) as Row[];
  return group(rows);
}

function translationStatus(ids: number[], language: string): Map<number, Row> {
  const rows = prepared(
    `SELECT o.id AS owner, t.slug AS t_slug, t.language AS t_language, q.status AS q_status, q.request_count AS q_count
       FROM article o
       LEFT JOIN article t ON t.translation_of_id = o.id AND t.language = ? AND t.status = 'PUBLISHED'
       LEFT JOIN translation_request q ON q.article_id = o.id AND q.language = ?
      WHERE o.id IN (${placeholders(ids.length)})`,
  ).all(language, language, ...ids) as Row[];
  return new Map(rows.map((r) => [r.owner, r]));
}

function group(rows: Row[]): Map<number, Row[]> {
  const out = new Map<number, Row[]>();
  for (const r of rows) out.set(r.owner, [...(out.get(r.owner) ?? []), r]);
  return out;
}

const STATE: Record<string, string> = { REQUESTED: 'REQUESTED', ACCEPTED: 'IN_PROGRESS', IN_PROGRESS: 'IN_PROGRESS' };

function status(article: Row, facts: Row | undefined, language: string, withTranslation: boolean) {
  if (translationTarget(article.language) === language) {
    return withTranslation
      ? { language, state: 'ORIGINAL', requestCount: 0, translation: null }
      : { state: 'ORIGINAL', requestCount: 0 };
  }
  const count = facts?.q_count ?? 0;
  const state = facts?.t_slug ? 'AVAILABLE' : (STATE[facts?.q_status] ?? (facts?.q_status ? 'NOT_TRANSLATED' : 'NOT_TRANSLATED'));
  const translation = facts?.t_slug ? { slug: facts.t_slug, language: facts.t_language } : null;
  return withTranslation ? { language, state, requestCount: count, translation } : { state, requestCount: count };
}

function credit(r: Row) {
  return imageCredit(
    { title: r.i_title, creator: r.i_creator, sourceUrl: r.i_source } as never,
    r.il_key ? ({ shortName: r.il_short, url: r.il_url } as never) : null,
  );
}

function referencePage(slug: string, rawLanguage: string) {
  const a = bySlug.get(slug) as Row | undefined;
  if (!a) return { data: { article: null } };
  const language = translationTarget(rawLanguage);
  const rel = related([a.id]);
  const names = authors([a.id]);
  const versions = prepared(
    `SELECT slug, language FROM article WHERE translation_of_id = ? AND status = 'PUBLISHED' ORDER BY language, id`,
  ).all(a.translation_of_id ?? a.id) as Row[];
  const facts = translationStatus([a.id], language).get(a.id);
  return {
    data: {
      article: {
        id: toGlobalId('Article', a.id),
        slug: a.slug,
        kind: a.kind,
        title: a.title,
        displayTitle: a.display_title,
        section: a.section,
        publication: a.p_key ? { key: a.p_key, name: a.p_name } : null,
        summary: a.summary,
        body: a.body == null ? null : JSON.parse(a.body),
        language: a.language,
        publishedAt: iso(a.published_at),
        authors: (names.get(a.id) ?? []).map((x) => ({ id: toGlobalId('Author', x.id), slug: x.slug, name: x.name })),
        heroImage: a.i_title
          ? {
              title: a.i_title,
              creator: a.i_creator,
              sourceUrl: a.i_source,
              license: a.il_key ? { key: a.il_key, shortName: a.il_short, url: a.il_url } : null,
              credit: credit(a),
            }
          : null,
        license: a.l_key ? { key: a.l_key, name: a.l_name, shortName: a.l_short, url: a.l_url } : null,
        related: rel.slice(0, 3).map((r) => ({
          id: toGlobalId('Article', r.id),
          slug: r.slug,
          kind: r.kind,
          title: r.title,
          summary: r.summary,
          publishedAt: iso(r.published_at),
        })),
        translations: versions.map((v) => ({ slug: v.slug, language: v.language })),
        translationStatus: status(a, facts, language, true),
      },
    },
  };
}

function homeList(first: number, after: string | null, rawLanguage: string) {
  const language = translationTarget(rawLanguage);
  const position = decodeCursor(after, 'pd', 'time');
  const rows = (position ? feedAfter.all(position.value, position.rowId, first + 1) : feed.all(first + 1)) as Row[];
  const page = rows.slice(0, first);
  const ids = page.map((r) => r.id);
  const rel = group(related(ids));
  const relIds = [...rel.values()].flat().map((r) => r.id);
  const names = authors([...ids, ...relIds]);
  const facts = translationStatus(ids, language);
  const edges = page.map((a) => ({
    cursor: encodeCursor({ kind: 'pd', value: a.published_at, rowId: a.id }),
    node: {
      id: toGlobalId('Article', a.id),
      slug: a.slug,
      title: a.title,
      section: a.section,
      publishedAt: iso(a.published_at),
      authors: (names.get(a.id) ?? []).map((x) => ({ slug: x.slug, name: x.name })),
      license: a.l_key ? { key: a.l_key, shortName: a.l_short } : null,
      heroImage: a.i_title ? { title: a.i_title, license: a.il_key ? { shortName: a.il_short } : null, credit: { text: credit(a).text } } : null,
      related: (rel.get(a.id) ?? []).slice(0, 3).map((r) => ({
        slug: r.slug,
        title: r.title,
        authors: (names.get(r.id) ?? []).map((x) => ({ name: x.name })),
      })),
      translationStatus: status(a, facts.get(a.id), language, false),
    },
  }));
  return {
    data: {
      articles: {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null },
      },
    },
  };
}

const secret = randomBytes(32).toString('hex');
const upsertRequest = db.prepare(
  `INSERT INTO translation_request (article_id, language, status, request_count, created_at, updated_at)
   VALUES (?, ?, 'REQUESTED', 0, ?, ?) ON CONFLICT (article_id, language) DO NOTHING`,
);
const requestId = db.prepare('SELECT id FROM translation_request WHERE article_id = ? AND language = ?');
const addReader = db.prepare(
  'INSERT INTO translation_request_reader (request_id, reader_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (request_id, reader_hash) DO NOTHING',
);
const bump = db.prepare('UPDATE translation_request SET request_count = request_count + 1, updated_at = ? WHERE id = ?');
const readRequest = db.prepare('SELECT * FROM translation_request WHERE id = ?');
const requestTranslation = db.transaction((articleId: number, language: string, reader: string) => {
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  upsertRequest.run(articleId, language, now, now);
  const { id } = requestId.get(articleId, language) as Row;
  const counted = addReader.run(id, createHmac('sha256', secret).update(reader).digest('hex'), now).changes;
  if (counted) bump.run(now, id);
  const r = readRequest.get(id) as Row;
  return {
    data: {
      requestTranslation: {
        alreadyRequested: counted === 0,
        request: { id: toGlobalId('TranslationRequest', r.id), language: r.language, status: r.status, requestCount: r.request_count },
      },
    },
  };
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const url = new URL(req.url ?? '/', 'http://raw');
      let body: unknown;
      if (url.pathname === '/w0') body = { data: { __typename: 'Query' } };
      else if (url.pathname === '/w1') body = referencePage(url.searchParams.get('slug') as string, url.searchParams.get('language') as string);
      else if (url.pathname === '/w2')
        body = homeList(Number(url.searchParams.get('first')), url.searchParams.get('after'), url.searchParams.get('language') as string);
      else if (url.pathname === '/w5') {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        body = requestTranslation(input.articleId, translationTarget(input.language), String(req.headers['x-reader-id']));
      } else {
        res.writeHead(404).end();
        return;
      }
      const json = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
