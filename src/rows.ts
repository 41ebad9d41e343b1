import { Article } from '../entities/article.entity';
import { Author } from '../entities/author.entity';
import { ArticleKind, ArticleStatus, TranslationRequestStatus } from '../entities/enums';
import { Image } from '../entities/image.entity';
import { License } from '../entities/license.entity';
import { Publication } from '../entities/publication.entity';
import { TranslationRequest } from '../entities/translation-request.entity';
import { Row, fromSqlBool, fromSqlTime } from './db';

// Loaders select rows with raw SQL (one statement per batch, joined to their key); these turn
// such rows into entity instances, optionally from columns carrying a prefix.

export const ARTICLE_COLUMNS = [
  'id',
  'slug',
  'kind',
  'title',
  'display_title',
  'publication_id',
  'section',
  'summary',
  'language',
  'published_at',
  'status',
  'hero_image_id',
  'license_id',
  'translation_of_id',
  'synthetic',
] as const;

/**
 * What a list of articles needs. The body (the one large column) is left out: it is selected only
 * by the single-article loaders, and loaded on demand where a list asks for it.
 */
export const articleColumns = keptText((table: string, prefix: string = '', withBody: boolean = false) =>
  columns(withBody ? [...ARTICLE_COLUMNS, 'body'] : ARTICLE_COLUMNS, table, prefix),
);

const articleKeys = prefixedKeys([...ARTICLE_COLUMNS, 'body']);

export function toArticle(row: Row, p = ''): Article {
  const k = articleKeys(p);
  const a = new Article();
  a.rowId = Number(row[k.id]);
  a.slug = row[k.slug] as string;
  a.kind = row[k.kind] as ArticleKind;
  a.title = row[k.title] as string;
  a.displayTitle = (row[k.display_title] as string | null) ?? null;
  a.publicationId = nullableNumber(row[k.publication_id]);
  a.section = (row[k.section] as string | null) ?? null;
  a.summary = (row[k.summary] as string | null) ?? null;
  if (k.body in row) a.body = parseBody(row[k.body]);
  a.language = row[k.language] as string;
  a.publishedAt = fromSqlTime(row[k.published_at]);
  a.status = row[k.status] as ArticleStatus;
  a.heroImageId = nullableNumber(row[k.hero_image_id]);
  a.licenseId = nullableNumber(row[k.license_id]);
  a.translationOfId = nullableNumber(row[k.translation_of_id]);
  a.synthetic = Boolean(fromSqlBool(row[k.synthetic]));
  return a;
}

export function parseBody(value: unknown): string[] | null {
  return value == null ? null : (JSON.parse(value as string) as string[]);
}

export function toAuthor(row: Row): Author {
  const a = new Author();
  a.rowId = Number(row.id);
  a.slug = row.slug as string;
  a.name = row.name as string;
  a.bio = (row.bio as string | null) ?? null;
  a.affiliation = (row.affiliation as string | null) ?? null;
  a.synthetic = Boolean(fromSqlBool(row.synthetic));
  return a;
}

export const LICENSE_COLUMNS = [
  'id',
  'key',
  'name',
  'short_name',
  'url',
  'attribution_required',
  'commercial_use_allowed',
  'derivatives_allowed',
  'share_alike',
  'synthetic',
] as const;
export const IMAGE_COLUMNS = ['id', 'key', 'title', 'creator', 'source_url', 'license_id', 'synthetic'] as const;
export const PUBLICATION_COLUMNS = ['id', 'key', 'name'] as const;

export function columns(names: readonly string[], table: string, prefix = ''): string {
  return names.map((c) => `${table}.${c} AS ${prefix}${c}`).join(', ');
}

/**
 * SQL text built from a few arguments (a table alias, a prefix, a filter's clauses), built once
 * per arguments instead of once per statement, and the same string each time: the card
 * statements run to 1.5 KB, and a statement's text is looked up twice on its way to the driver
 * (its parameters, its prepared statement), which hashes all of a new string and none of one
 * seen before.
 */
export function keptText<A extends Array<string | boolean | undefined>>(build: (...args: A) => string): (...args: A) => string {
  const kept = new Map<string, string>();
  return (...args) => {
    const key = args.join('|');
    let text = kept.get(key);
    if (text === undefined) kept.set(key, (text = build(...args)));
    return text;
  };
}

/**
 * The row properties of prefixed columns, made once per prefix. Joining the prefix to each column
 * name for every field of every row made a new string each time, which V8 then had to look up
 * before it could read the property.
 */
export function prefixedKeys<C extends string>(names: readonly C[]): (prefix: string) => Record<C, string> {
  const kept = new Map<string, Record<C, string>>();
  return (prefix) => {
    let keys = kept.get(prefix);
    if (!keys) kept.set(prefix, (keys = Object.fromEntries(names.map((c) => [c, `${prefix}${c}`])) as Record<C, string>));
    return keys;
  };
}

const licenseKeys = prefixedKeys(LICENSE_COLUMNS);
const imageKeys = prefixedKeys(IMAGE_COLUMNS);
const publicationKeys = prefixedKeys(PUBLICATION_COLUMNS);

export function toLicense(row: Row, p = ''): License {
  const k = licenseKeys(p);
  const l = new License();
  l.rowId = Number(row[k.id]);
  l.key = row[k.key] as string;
  l.name = row[k.name] as string;
  l.shortName = row[k.short_name] as string;
  l.url = (row[k.url] as string | null) ?? null;
  l.attributionRequired = fromSqlBool(row[k.attribution_required]);
  l.commercialUseAllowed = fromSqlBool(row[k.commercial_use_allowed]);
  l.derivativesAllowed = fromSqlBool(row[k.derivatives_allowed]);
  l.shareAlike = fromSqlBool(row[k.share_alike]);
  l.synthetic = Boolean(fromSqlBool(row[k.synthetic]));
  return l;
}

export function toImage(row: Row, p = ''): Image {
  const k = imageKeys(p);
  const i = new Image();
  i.rowId = Number(row[k.id]);
  i.key = row[k.key] as string;
  i.title = row[k.title] as string;
  i.creator = (row[k.creator] as string | null) ?? null;
  i.sourceUrl = (row[k.source_url] as string | null) ?? null;
  i.licenseId = nullableNumber(row[k.license_id]);
  i.synthetic = Boolean(fromSqlBool(row[k.synthetic]));
  return i;
}

export function toPublication(row: Row, p = ''): Publication {
  const k = publicationKeys(p);
  const pub = new Publication();
  pub.rowId = Number(row[k.id]);
  pub.key = row[k.key] as string;
  pub.name = row[k.name] as string;
  return pub;
}

const translationRequestKeys = prefixedKeys(['id', 'article_id', 'language', 'status', 'request_count', 'created_at', 'updated_at']);

export function toTranslationRequest(row: Row, p = ''): TranslationRequest {
  const k = translationRequestKeys(p);
  const r = new TranslationRequest();
  r.rowId = Number(row[k.id]);
  r.articleId = Number(row[k.article_id]);
  r.language = row[k.language] as string;
  r.status = row[k.status] as TranslationRequestStatus;
  r.requestCount = Number(row[k.request_count]);
  r.createdAt = fromSqlTime(row[k.created_at]) as Date;
  r.updatedAt = fromSqlTime(row[k.updated_at]) as Date;
  return r;
}

function nullableNumber(value: unknown): number | null {
  return value == null ? null : Number(value);
}
