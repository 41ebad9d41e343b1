import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ArticleStatus, TranslationRequestStatus } from '../../entities/enums';
import { advanceIdSequences, insertRows, query, toSqlTime, writeTransaction } from '../db/sql';

// Every synthetic row says so: slugs and keys start with "synthetic-", and the synthetic column is true.

const WORDS = (
  'policy innovation network civil society partnership community climate energy water health ' +
  'education market trade finance labor migration city rural technology data privacy digital ' +
  'election governance justice rights ethics security peace conflict diplomacy aid development ' +
  'poverty growth capital investment risk resilience agriculture food ocean forest biodiversity ' +
  'carbon transition infrastructure transport housing culture media language identity history ' +
  'future research science evidence reform institution budget tax welfare youth aging gender ' +
  'inclusion platform cooperative enterprise entrepreneur philanthropy volunteer movement dialogue ' +
  'region border alliance treaty standard regulation accountability transparency corruption ' +
  'leadership strategy practice lesson model pilot program initiative project coalition forum'
).split(' ');
const SECTIONS = ['Innovations', 'Economy', 'Environment', 'Technology', 'Health', 'Culture', 'Politics', 'Science'];
const KINDS = ['ARTICLE', 'ARTICLE', 'ARTICLE', 'ARTICLE', 'INTERVIEW', 'REPORT', 'PODCAST', 'VIDEO'];
const ORIGINAL_LANGUAGES = ['en', 'en', 'en', 'en', 'en', 'en', 'de', 'fr', 'es'];
const TRANSLATION_LANGUAGES = ['ja', 'fr', 'de', 'es', 'zh-Hant'];
const FIRST_NAMES = ['Ada', 'Bo', 'Chen', 'Dara', 'Emeka', 'Farah', 'Goran', 'Hana', 'Ines', 'Jonas', 'Kemal', 'Lea'];
const LAST_NAMES = ['Abe', 'Baptiste', 'Costa', 'Dube', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen'];
const CHUNK = 10_000;
const EPOCH = Date.UTC(2009, 0, 1);

/** mulberry32: a tiny seeded generator, so the same N always yields the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(rnd: () => number, min: number, max: number): string {
  const n = min + Math.floor(rnd() * (max - min + 1));
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

export interface SyntheticSummary {
  articles: number;
  authors: number;
  images: number;
  translationRequests: number;
}

/**
 * Replaces any earlier synthetic set with a deterministic one of `count` articles: originals in
 * several languages with 0-3 authors, images under synthetic licenses, curated related links, a
 * published translation for every twentieth article, reader requests for others, and a few drafts.
 */
export async function seedSynthetic(db: DataSource, count: number): Promise<SyntheticSummary> {
  const rnd = random(0x5eed ^ count);
  const authorCount = Math.max(5, Math.ceil(count / 25));
  const imageCount = Math.max(5, Math.ceil(count / 5));
  const now = toSqlTime(new Date(EPOCH));

  await writeTransaction(db, async (tx) => {
    await query(tx, 'DELETE FROM article WHERE synthetic = :yes', { yes: true });
    await query(tx, 'DELETE FROM author WHERE synthetic = :yes', { yes: true });
    await query(tx, 'DELETE FROM image WHERE synthetic = :yes', { yes: true });
    await query(tx, 'DELETE FROM license WHERE synthetic = :yes', { yes: true });
    await query(tx, "DELETE FROM publication WHERE key LIKE 'synthetic-%'");
  });

  const ids = await writeTransaction(db, async (tx) => {
    const next = async (table: string) =>
      Number((await query<{ m: number | null }>(tx, `SELECT MAX(id) AS m FROM ${table}`))[0].m ?? 0) + 1;
    const base = {
      publication: await next('publication'),
      license: await next('license'),
      author: await next('author'),
      image: await next('image'),
      article: await next('article'),
      request: await next('translation_request'),
    };
    await insertRows(tx, 'publication', ['id', 'key', 'name'], [1, 2, 3].map((i) => [base.publication + i - 1, `synthetic-publication-${i}`, `Synthetic Review ${i}`]));
    await insertRows(
      tx,
      'license',
      ['id', 'key', 'name', 'short_name', 'url', 'attribution_required', 'commercial_use_allowed', 'derivatives_allowed', 'share_alike', 'synthetic'],
      [
        ['by', 'Attribution', true, true, true, false],
        ['by-sa', 'Attribution-ShareAlike', true, true, true, true],
        ['by-nc', 'Attribution-NonCommercial', true, false, true, false],
        ['by-nd', 'Attribution-NoDerivatives', true, true, false, false],
      ].map(([code, name, by, commercial, derivatives, sa], i) => [
        base.license + i,
        `synthetic-cc-${code}-4.0`,
        `Synthetic Creative Commons ${name} 4.0`,
        `CC ${String(code).toUpperCase()} 4.0`,
        `https://creativecommons.org/licenses/${code}/4.0/`,
        by,
        commercial,
        derivatives,
        sa,
        true,
      ]),
    );
    const authors = Array.from({ length: authorCount }, (_, i) => [
      base.author + i,
      `synthetic-author-${i + 1}`,
      `${pick(rnd, FIRST_NAMES)} ${pick(rnd, LAST_NAMES)} ${i + 1}`,
      sentence(rnd, 8, 16),
      rnd() < 0.5 ? `Synthetic Institute ${1 + Math.floor(rnd() * 20)}` : null,
      true,
    ]);
    await insertRows(tx, 'author', ['id', 'slug', 'name', 'bio', 'affiliation', 'synthetic'], authors);
    const images = Array.from({ length: imageCount }, (_, i) => [
      base.image + i,
      `synthetic-image-${i + 1}`,
      sentence(rnd, 2, 4).slice(0, -1),
      `${pick(rnd, FIRST_NAMES)} ${pick(rnd, LAST_NAMES)}`,
      `https://images.example.org/synthetic/${i + 1}`,
      base.license + Math.floor(rnd() * 4),
      true,
    ]);
    await insertRows(tx, 'image', ['id', 'key', 'title', 'creator', 'source_url', 'license_id', 'synthetic'], images);
    return base;
  });

  let requests = 0;
  let time = EPOCH;
  for (let start = 1; start <= count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK - 1);
    const articles: unknown[][] = [];
    const links: unknown[][] = [];
    const related: unknown[][] = [];
    const requestRows: unknown[][] = [];
    const readerRows: unknown[][] = [];
    const original: Array<{ language: string; section: string; kind: string; license: number; image: number; publication: number }> = [];
    for (let i = start; i <= end; i++) {
      const id = ids.article + i - 1;
      if (rnd() >= 1 / 7) time += 60_000 * (5 + Math.floor(rnd() * 120));
      const isTranslation = i % 20 === 0;
      const draft = !isTranslation && rnd() < 0.02;
      const prev = original[(i - 2) % CHUNK];
      const facts = isTranslation && prev
        ? { ...prev, language: TRANSLATION_LANGUAGES[(i / 20) % TRANSLATION_LANGUAGES.length] }
        : {
            language: pick(rnd, ORIGINAL_LANGUAGES),
            section: pick(rnd, SECTIONS),
            kind: pick(rnd, KINDS),
            license: ids.license + Math.floor(rnd() * 4),
            image: ids.image + Math.floor(rnd() * imageCount),
            publication: ids.publication + Math.floor(rnd() * 3),
          };
      original[(i - 1) % CHUNK] = facts;
      const title = `${sentence(rnd, 3, 7).slice(0, -1)} ${i}`;
      const paragraphs = Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => sentence(rnd, 15, 30));
      articles.push([
        id,
        `synthetic-article-${i}`,
        facts.kind,
        title,
        null,
        facts.publication,
        facts.section,
        sentence(rnd, 10, 20),
        JSON.stringify(paragraphs),
        facts.language,
        draft ? null : toSqlTime(new Date(time)),
        draft ? ArticleStatus.DRAFT : ArticleStatus.PUBLISHED,
        rnd() < 0.9 ? facts.image : null,
        facts.license,
        isTranslation && prev ? id - 1 : null,
        true,
        now,
        now,
      ]);
      const authorsOnArticle = [0, 1, 1, 1, 2, 2, 3][Math.floor(rnd() * 7)];
      const chosen = new Set<number>();
      while (chosen.size < authorsOnArticle) chosen.add(ids.author + Math.floor(rnd() * authorCount));
      [...chosen].forEach((authorId, position) => links.push([id, authorId, position]));
      if (i > 10 && !isTranslation) {
        const wanted = Math.floor(rnd() * 4);
        const targets = new Set<number>();
        while (targets.size < wanted) {
          const j = 1 + Math.floor(rnd() * (i - 1));
          if (j % 20 !== 0) targets.add(ids.article + j - 1);
        }
        [...targets].forEach((relatedId, position) => related.push([id, relatedId, position]));
      }
      if (!isTranslation && !draft && i % 20 !== 19 && rnd() < 0.12) {
        const requestId = ids.request + requests++;
        const readers = 1 + Math.floor(rnd() * 5);
        const status = pick(rnd, [
          TranslationRequestStatus.REQUESTED,
          TranslationRequestStatus.REQUESTED,
          TranslationRequestStatus.REQUESTED,
          TranslationRequestStatus.ACCEPTED,
          TranslationRequestStatus.IN_PROGRESS,
          TranslationRequestStatus.DECLINED,
        ]);
        const language = facts.language === 'en' ? pick(rnd, ['ja', 'de', 'pt']) : 'en';
        requestRows.push([requestId, id, language, status, readers, now, now]);
        for (let r = 0; r < readers; r++) {
          readerRows.push([requestId, createHash('sha256').update(`synthetic-reader-${i}-${r}`).digest('hex'), now]);
        }
      }
    }
    await writeTransaction(db, async (tx) => {
      await insertRows(
        tx,
        'article',
        ['id', 'slug', 'kind', 'title', 'display_title', 'publication_id', 'section', 'summary', 'body', 'language', 'published_at', 'status', 'hero_image_id', 'license_id', 'translation_of_id', 'synthetic', 'created_at', 'updated_at'],
        articles,
      );
      await insertRows(tx, 'article_author', ['article_id', 'author_id', 'position'], links);
      await insertRows(tx, 'article_related', ['article_id', 'related_id', 'position'], related);
      await insertRows(tx, 'translation_request', ['id', 'article_id', 'language', 'status', 'request_count', 'created_at', 'updated_at'], requestRows);
      await insertRows(tx, 'translation_request_reader', ['request_id', 'reader_hash', 'created_at'], readerRows);
    });
  }
  await advanceIdSequences(db, ['publication', 'license', 'author', 'image', 'article', 'translation_request']);
  return { articles: count, authors: authorCount, images: imageCount, translationRequests: requests };
}
