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
];

/**
 * What a list of articles needs. The body (the one large column) is left out: it is selected only
 * by the single-article loaders, and loaded on demand where a list asks for it.
 */
export function articleColumns(table: string, prefix = '', withBody = false): string {
  return columns(withBody ? [...ARTICLE_COLUMNS, 'body'] : ARTICLE_COLUMNS, table, prefix);
}

export function toArticle(row: Row, p = ''): Article {
  const a = new Article();
  a.rowId = Number(row[`${p}id`]);
  a.slug = row[`${p}slug`] as string;
  a.kind = row[`${p}kind`] as ArticleKind;
  a.title = row[`${p}title`] as string;
  a.displayTitle = (row[`${p}display_title`] as string | null) ?? null;
  a.publicationId = nullableNumber(row[`${p}publication_id`]);
  a.section = (row[`${p}section`] as string | null) ?? null;
  a.summary = (row[`${p}summary`] as string | null) ?? null;
  if (`${p}body` in row) a.body = parseBody(row[`${p}body`]);
  a.language = row[`${p}language`] as string;
  a.publishedAt = fromSqlTime(row[`${p}published_at`]);
  a.status = row[`${p}status`] as ArticleStatus;
  a.heroImageId = nullableNumber(row[`${p}hero_image_id`]);
  a.licenseId = nullableNumber(row[`${p}license_id`]);
  a.translationOfId = nullableNumber(row[`${p}translation_of_id`]);
  a.synthetic = Boolean(fromSqlBool(row[`${p}synthetic`]));
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
];
export const IMAGE_COLUMNS = ['id', 'key', 'title', 'creator', 'source_url', 'license_id', 'synthetic'];
export const PUBLICATION_COLUMNS = ['id', 'key', 'name'];

export function columns(names: string[], table: string, prefix = ''): string {
  return names.map((c) => `${table}.${c} AS ${prefix}${c}`).join(', ');
}

export function toLicense(row: Row, p = ''): License {
  const l = new License();
  l.rowId = Number(row[`${p}id`]);
  l.key = row[`${p}key`] as string;
  l.name = row[`${p}name`] as string;
  l.shortName = row[`${p}short_name`] as string;
  l.url = (row[`${p}url`] as string | null) ?? null;
  l.attributionRequired = fromSqlBool(row[`${p}attribution_required`]);
  l.commercialUseAllowed = fromSqlBool(row[`${p}commercial_use_allowed`]);
  l.derivativesAllowed = fromSqlBool(row[`${p}derivatives_allowed`]);
  l.shareAlike = fromSqlBool(row[`${p}share_alike`]);
  l.synthetic = Boolean(fromSqlBool(row[`${p}synthetic`]));
  return l;
}

export function toImage(row: Row, p = ''): Image {
  const i = new Image();
  i.rowId = Number(row[`${p}id`]);
  i.key = row[`${p}key`] as string;
  i.title = row[`${p}title`] as string;
  i.creator = (row[`${p}creator`] as string | null) ?? null;
  i.sourceUrl = (row[`${p}source_url`] as string | null) ?? null;
  i.licenseId = nullableNumber(row[`${p}license_id`]);
  i.synthetic = Boolean(fromSqlBool(row[`${p}synthetic`]));
  return i;
}

export function toPublication(row: Row, p = ''): Publication {
  const pub = new Publication();
  pub.rowId = Number(row[`${p}id`]);
  pub.key = row[`${p}key`] as string;
  pub.name = row[`${p}name`] as string;
  return pub;
}

export function toTranslationRequest(row: Row, p = ''): TranslationRequest {
  const r = new TranslationRequest();
  r.rowId = Number(row[`${p}id`]);
  r.articleId = Number(row[`${p}article_id`]);
  r.language = row[`${p}language`] as string;
  r.status = row[`${p}status`] as TranslationRequestStatus;
  r.requestCount = Number(row[`${p}request_count`]);
  r.createdAt = fromSqlTime(row[`${p}created_at`]) as Date;
  r.updatedAt = fromSqlTime(row[`${p}updated_at`]) as Date;
  return r;
}

function nullableNumber(value: unknown): number | null {
  return value == null ? null : Number(value);
}
