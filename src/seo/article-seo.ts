import type { Article } from '../../entities/article.entity';
import type { Image } from '../../entities/image.entity';
import type { License } from '../../entities/license.entity';
import { imageCredit } from '../catalog/image-credit';
import type { Loaders } from '../graphql/loaders';

/**
 * What `Article.seo` answers (the GraphQL types are in resolvers/seo.types.ts); times are Dates
 * here and ISO text in a GraphQL answer (see article-html.ts).
 */
export interface ArticleSeo<Time = Date> {
  canonicalUrl: string;
  title: string;
  description: string | null;
  openGraph: {
    type: string;
    title: string;
    description: string | null;
    url: string;
    siteName: string;
    locale: string;
    image: string | null;
    imageAlt: string | null;
    publishedTime: Time | null;
    modifiedTime: Time;
    authors: string[];
    section: string | null;
  };
  jsonLd: Record<string, unknown>;
}

/** The reader page of an article: its canonical URL. */
export function readerUrl(origin: string, slug: string): string {
  return `${origin}/read/${encodeURIComponent(slug)}`;
}

function held<T>(value: T | Promise<T>): Promise<T> {
  return Promise.resolve(value);
}

/** A license as schema.org takes one: its URL, or where the source names no version, its name. */
function licenseOf(license: License): string | Record<string, string> {
  return license.url ?? { '@type': 'CreativeWork', name: license.name };
}

/**
 * `Article.seo`: canonical URL, Open Graph and schema.org NewsArticle JSON-LD, from the article's
 * own facts through the request's loaders. Nothing is filled in where the source is silent: no
 * author without a byline, no license URL where the license names no version.
 */
export class SeoService {
  constructor(
    private readonly loaders: Loaders,
    /** Where links point (PUBLIC_BASE_URL, or the request's origin). */
    private readonly origin: string,
    private readonly siteName: string,
  ) {}

  async of(article: Article): Promise<ArticleSeo> {
    const { loaders } = this;
    const [authors, publication, image, license, versions] = await Promise.all([
      loaders.authorsByArticle.load(article.rowId),
      article.publicationId == null ? null : held(loaders.publicationById.get(article.publicationId)),
      article.heroImageId == null ? null : held(loaders.imageById.get(article.heroImageId)),
      article.licenseId == null ? null : held(loaders.licenseById.get(article.licenseId)),
      loaders.versionsByOriginal.load(article.translationOfId ?? article.rowId),
    ]);
    const imageLicense = image?.licenseId == null ? null : await held(loaders.licenseById.get(image.licenseId));
    const url = readerUrl(this.origin, article.slug);
    const credit = image ? imageCredit(image, imageLicense).text : null;
    const others = versions.filter((v) => v.rowId !== article.rowId);
    const original = article.translationOfId == null ? null : (others.find((v) => v.rowId === article.translationOfId) ?? null);
    const translations = article.translationOfId == null ? others : [];
    const version = (v: Article) => ({ '@type': 'NewsArticle', '@id': readerUrl(this.origin, v.slug), inLanguage: v.language });

    const jsonLd: Record<string, unknown> = {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      '@id': url,
      url,
      mainEntityOfPage: url,
      headline: article.title,
      ...(article.summary && { description: article.summary }),
      ...(authors.length > 0 && { author: authors.map((a) => ({ '@type': 'Person', name: a.name })) }),
      ...(article.publishedAt && { datePublished: article.publishedAt.toISOString() }),
      dateModified: article.updatedAt.toISOString(),
      inLanguage: article.language,
      ...(article.section && { articleSection: article.section }),
      ...(publication && { isPartOf: { '@type': 'Periodical', name: publication.name } }),
      ...(image && { image: this.imageObject(image, credit as string, imageLicense) }),
      ...(license && { license: licenseOf(license) }),
      ...(original && { translationOfWork: version(original) }),
      ...(translations.length > 0 && { workTranslation: translations.map(version) }),
    };
    return {
      canonicalUrl: url,
      title: article.title,
      description: article.summary,
      openGraph: {
        type: 'article',
        title: article.title,
        description: article.summary,
        url,
        siteName: this.siteName,
        locale: article.language.replace('-', '_'),
        image: image?.sourceUrl ?? null,
        imageAlt: credit,
        publishedTime: article.publishedAt,
        modifiedTime: article.updatedAt,
        authors: authors.map((a) => a.name),
        section: article.section,
      },
      jsonLd,
    };
  }

  private imageObject(image: Image, credit: string, license: License | null): Record<string, unknown> {
    return {
      '@type': 'ImageObject',
      name: image.title,
      ...(image.sourceUrl && { url: image.sourceUrl }),
      ...(image.creator && { creator: { '@type': 'Person', name: image.creator } }),
      creditText: credit,
      ...(license && { copyrightNotice: `${image.creator ?? image.title}, ${license.shortName}`, license: licenseOf(license) }),
    };
  }
}
