import type { DataSource } from 'typeorm';
import type { CardLoaders } from './article-cards';
import { articleCountsByAuthor } from './article-counts-by-author';
import { articlesByAuthor } from './articles-by-author';
import { articlesById } from './articles-by-id';
import { articlesBySlug } from './articles-by-slug';
import { authorsByArticle } from './authors-by-article';
import { bodiesByArticle } from './bodies-by-article';
import { authorsById } from './authors-by-id';
import { authorsBySlug } from './authors-by-slug';
import { imagesById } from './images-by-id';
import { licensesById } from './licenses-by-id';
import { licensesByKey } from './licenses-by-key';
import { publicationsById } from './publications-by-id';
import { relatedByArticle } from './related-by-article';
import { translationFacts } from './translation-status';
import { translationRequestsById } from './translation-requests-by-id';
import { versionsByOriginal } from './translations-by-original';

/**
 * A fresh set per request (or per subscription event): caches never outlive one caller's view.
 * Each loader is made on first use: a request uses a few of the sixteen, and making all of them
 * for every request cost the reference page about 6 % of its throughput (interleaved A/B). Plain
 * getters over private fields, not a table of factories: the per-request object keeps one shape.
 */
export class Loaders implements CardLoaders {
  #imageById?: ReturnType<typeof imagesById>;
  #licenseById?: ReturnType<typeof licensesById>;
  #publicationById?: ReturnType<typeof publicationsById>;
  #articleById?: ReturnType<typeof articlesById>;
  #articleBySlug?: ReturnType<typeof articlesBySlug>;
  #articleCountByAuthor?: ReturnType<typeof articleCountsByAuthor>;
  #articlesByAuthor?: ReturnType<typeof articlesByAuthor>;
  #authorById?: ReturnType<typeof authorsById>;
  #authorBySlug?: ReturnType<typeof authorsBySlug>;
  #authorsByArticle?: ReturnType<typeof authorsByArticle>;
  #bodyByArticle?: ReturnType<typeof bodiesByArticle>;
  #licenseByKey?: ReturnType<typeof licensesByKey>;
  #relatedByArticle?: ReturnType<typeof relatedByArticle>;
  #translationFacts?: ReturnType<typeof translationFacts>;
  #translationRequestById?: ReturnType<typeof translationRequestsById>;
  #versionsByOriginal?: ReturnType<typeof versionsByOriginal>;

  constructor(private readonly db: DataSource) {}

  get imageById(): ReturnType<typeof imagesById> {
    return (this.#imageById ??= imagesById(this.db));
  }

  get licenseById(): ReturnType<typeof licensesById> {
    return (this.#licenseById ??= licensesById(this.db));
  }

  get publicationById(): ReturnType<typeof publicationsById> {
    return (this.#publicationById ??= publicationsById(this.db));
  }

  get articleById(): ReturnType<typeof articlesById> {
    return (this.#articleById ??= articlesById(this.db, this));
  }

  get articleBySlug(): ReturnType<typeof articlesBySlug> {
    return (this.#articleBySlug ??= articlesBySlug(this.db, this));
  }

  get articleCountByAuthor(): ReturnType<typeof articleCountsByAuthor> {
    return (this.#articleCountByAuthor ??= articleCountsByAuthor(this.db));
  }

  get articlesByAuthor(): ReturnType<typeof articlesByAuthor> {
    return (this.#articlesByAuthor ??= articlesByAuthor(this.db, this));
  }

  get authorById(): ReturnType<typeof authorsById> {
    return (this.#authorById ??= authorsById(this.db));
  }

  get authorBySlug(): ReturnType<typeof authorsBySlug> {
    return (this.#authorBySlug ??= authorsBySlug(this.db));
  }

  get authorsByArticle(): ReturnType<typeof authorsByArticle> {
    return (this.#authorsByArticle ??= authorsByArticle(this.db));
  }

  get bodyByArticle(): ReturnType<typeof bodiesByArticle> {
    return (this.#bodyByArticle ??= bodiesByArticle(this.db));
  }

  get licenseByKey(): ReturnType<typeof licensesByKey> {
    return (this.#licenseByKey ??= licensesByKey(this.db));
  }

  get relatedByArticle(): ReturnType<typeof relatedByArticle> {
    return (this.#relatedByArticle ??= relatedByArticle(this.db));
  }

  get translationFacts(): ReturnType<typeof translationFacts> {
    return (this.#translationFacts ??= translationFacts(this.db));
  }

  get translationRequestById(): ReturnType<typeof translationRequestsById> {
    return (this.#translationRequestById ??= translationRequestsById(this.db));
  }

  get versionsByOriginal(): ReturnType<typeof versionsByOriginal> {
    return (this.#versionsByOriginal ??= versionsByOriginal(this.db));
  }
}

export function createLoaders(db: DataSource): Loaders {
  return new Loaders(db);
}
