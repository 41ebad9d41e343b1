import type { CacheHint } from '@apollo/cache-control-types';

/**
 * How long a public answer may be reused, with Apollo's @cacheControl semantics: a field's hint
 * wins over its type's; a field returning an object type without a hint, and any root field
 * without one, allows no caching at all; `inheritMaxAge` takes the parent's. The answer's policy
 * is the strictest of its fields. Kept here rather than as schema directives because the policy
 * is computed once per operation (see cache-policy.ts), not per resolved field.
 *
 * Content changes by editors clear the in-process response cache at once; these ages bound how
 * long a CDN or browser may keep showing an older answer. Translation request counts move with
 * every reader, so anything showing them is reused for a few seconds only.
 */
export const TYPE_HINTS: Record<string, CacheHint & { inheritMaxAge?: true }> = {
  Article: { maxAge: 60 },
  Author: { maxAge: 60 },
  Image: { maxAge: 300 },
  ImageCredit: { maxAge: 300 },
  License: { maxAge: 3600 },
  Publication: { maxAge: 3600 },
  TranslationStatus: { maxAge: 10 },
  TranslationRequest: { maxAge: 10 },
  ArticleConnection: { inheritMaxAge: true },
  ArticleEdge: { inheritMaxAge: true },
  AuthorConnection: { inheritMaxAge: true },
  AuthorEdge: { inheritMaxAge: true },
  PageInfo: { inheritMaxAge: true },
  ArticleSeo: { inheritMaxAge: true },
  OpenGraph: { inheritMaxAge: true },
};

/** Root fields returning connections or lists (nothing to inherit from), and editors' own views. */
export const FIELD_HINTS: Record<string, CacheHint> = {
  'Query.articles': { maxAge: 60 },
  'Query.search': { maxAge: 60 },
  'Query.authors': { maxAge: 60 },
  'Query.licenses': { maxAge: 3600 },
  'Query.publications': { maxAge: 3600 },
  'Query.articleForEditor': { maxAge: 0 },
};
