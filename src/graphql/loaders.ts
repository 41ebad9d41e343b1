import type { DataSource } from 'typeorm';
import type { CardLoaders } from '../articles/article-cards';
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

/** A fresh set per request (or per subscription event): caches never outlive one caller's view. */
export function createLoaders(db: DataSource) {
  // Article statements join an article card's relations and prime these with what they read.
  const cards: CardLoaders = { imageById: imagesById(db), licenseById: licensesById(db), publicationById: publicationsById(db) };
  return {
    imageById: cards.imageById,
    licenseById: cards.licenseById,
    publicationById: cards.publicationById,
    articleById: articlesById(db, cards),
    articleBySlug: articlesBySlug(db, cards),
    articlesByAuthor: articlesByAuthor(db, cards),
    articleCountByAuthor: articleCountsByAuthor(db),
    authorById: authorsById(db),
    authorBySlug: authorsBySlug(db),
    authorsByArticle: authorsByArticle(db),
    bodyByArticle: bodiesByArticle(db),
    licenseByKey: licensesByKey(db),
    relatedByArticle: relatedByArticle(db),
    translationFacts: translationFacts(db),
    translationRequestById: translationRequestsById(db),
    versionsByOriginal: versionsByOriginal(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
