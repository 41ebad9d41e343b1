import type { DataSource } from 'typeorm';
import type { CardLoaders } from '../articles/article-cards';
import type { CacheTags } from '../cache/cache-tags';
import { articleCountsByAuthor } from '../authors/article-counts-by-author';
import { articlesByAuthor } from '../articles/articles-by-author';
import { articlesById } from '../articles/articles-by-id';
import { articlesBySlug } from '../articles/articles-by-slug';
import { authorsByArticle } from '../authors/authors-by-article';
import { bodiesByArticle } from '../articles/bodies-by-article';
import { authorsById } from '../authors/authors-by-id';
import { authorsBySlug } from '../authors/authors-by-slug';
import { imagesById } from '../catalog/images-by-id';
import { licensesById } from '../catalog/licenses-by-id';
import { licensesByKey } from '../catalog/licenses-by-key';
import { publicationsById } from '../catalog/publications-by-id';
import { relatedByArticle } from '../articles/related-by-article';
import { translationFacts } from '../translations/translation-status';
import { translationRequestsById } from '../translations/translation-requests-by-id';
import { versionsByOriginal } from '../translations/translations-by-original';

/**
 * A fresh set per request (or per subscription event): caches never outlive one caller's view.
 * Each adds what it reads to `tags`, the answer's cache keys.
 */
export function createLoaders(db: DataSource, tags: CacheTags) {
  // Article statements join an article card's relations and prime these with what they read.
  const cards: CardLoaders = { tags, imageById: imagesById(db, tags), licenseById: licensesById(db, tags), publicationById: publicationsById(db, tags) };
  return {
    tags,
    imageById: cards.imageById,
    licenseById: cards.licenseById,
    publicationById: cards.publicationById,
    articleById: articlesById(db, cards),
    articleBySlug: articlesBySlug(db, cards),
    articlesByAuthor: articlesByAuthor(db, cards),
    articleCountByAuthor: articleCountsByAuthor(db, tags),
    authorById: authorsById(db, tags),
    authorBySlug: authorsBySlug(db, tags),
    authorsByArticle: authorsByArticle(db, tags),
    bodyByArticle: bodiesByArticle(db),
    licenseByKey: licensesByKey(db, tags),
    relatedByArticle: relatedByArticle(db, tags),
    translationFacts: translationFacts(db, tags),
    translationRequestById: translationRequestsById(db),
    versionsByOriginal: versionsByOriginal(db, tags),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
