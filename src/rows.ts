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
  'body',
  'language',
  'published_at',
  'status',
  'hero_image_id',
  'license_id',
  'translation_of_id',
  'synthetic',
  'created_at',
  'updated_at',
];

export function articleColumns(table: string, prefix = ''): string {
  return ARTICLE_COLUMNS.map((c) => `${table}.${c} AS ${prefix}${c}`).join(', ');
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
  const body = row[`${p}body`] as string | null;
  a.body = body == null ? null : (JSON.parse(body) as string[]);
  a.language = row[`${p}language`] as string;
  a.publishedAt = fromSqlTime(row[`${p}published_at`]);
  a.status = row[`${p}status`] as ArticleStatus;
  a.heroImageId = nullableNumber(row[`${p}hero_image_id`]);
  a.licenseId = nullableNumber(row[`${p}license_id`]);
  a.translationOfId = nullableNumber(row[`${p}translation_of_id`]);
  a.synthetic = Boolean(fromSqlBool(row[`${p}synthetic`]));
  a.createdAt = fromSqlTime(row[`${p}created_at`]) as Date;
  a.updatedAt = fromSqlTime(row[`${p}updated_at`]) as Date;
  return a;
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

export function toLicense(row: Row): License {
  const l = new License();
  l.rowId = Number(row.id);
  l.key = row.key as string;
  l.name = row.name as string;
  l.shortName = row.short_name as string;
  l.url = (row.url as string | null) ?? null;
  l.attributionRequired = fromSqlBool(row.attribution_required);
  l.commercialUseAllowed = fromSqlBool(row.commercial_use_allowed);
  l.derivativesAllowed = fromSqlBool(row.derivatives_allowed);
  l.shareAlike = fromSqlBool(row.share_alike);
  l.synthetic = Boolean(fromSqlBool(row.synthetic));
  return l;
}

export function toImage(row: Row): Image {
  const i = new Image();
  i.rowId = Number(row.id);
  i.key = row.key as string;
  i.title = row.title as string;
  i.creator = (row.creator as string | null) ?? null;
  i.sourceUrl = (row.source_url as string | null) ?? null;
  i.licenseId = nullableNumber(row.license_id);
  i.synthetic = Boolean(fromSqlBool(row.synthetic));
  return i;
}

export function toPublication(row: Row): Publication {
  const p = new Publication();
  p.rowId = Number(row.id);
  p.key = row.key as string;
  p.name = row.name as string;
  return p;
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
