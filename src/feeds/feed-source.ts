import { execute, GraphQLSchema, parse } from 'graphql';
import type { Context } from '../graphql/context';
import type { FeedEntry, FeedFormat, FeedSource } from './feed-formats';

/** Which articles a feed lists: the archive, or one section, author or language of it. */
export type FeedScope = { kind: 'all' } | { kind: 'section'; section: string } | { kind: 'author'; slug: string } | { kind: 'language'; language: string };

/**
 * Feeds read what any client reads: this operation, through the same resolvers and loaders, as an
 * anonymous caller. So a feed never shows a draft, and its statements do not grow with its length.
 */
const FEED_OPERATION = parse(`
  query Feed($first: Int!, $filter: ArticleFilter, $authorSlug: String!, $byAuthor: Boolean!) {
    author(slug: $authorSlug) @include(if: $byAuthor) { name }
    articles(first: $first, filter: $filter, orderBy: PUBLISHED_AT_DESC) {
      edges {
        node {
          slug title summary language section kind publishedAt updatedAt
          authors { name }
          license { name url }
          heroImage { title sourceUrl credit { text } license { url } }
        }
      }
    }
  }
`);

interface FeedAnswer {
  author?: { name: string } | null;
  articles: {
    edges: Array<{
      node: {
        slug: string;
        title: string;
        summary: string | null;
        language: string;
        section: string | null;
        kind: string;
        publishedAt: string | null;
        updatedAt: string;
        authors: Array<{ name: string }>;
        license: { name: string; url: string | null } | null;
        heroImage: { title: string; sourceUrl: string | null; credit: { text: string }; license: { url: string | null } | null } | null;
      };
    }>;
  };
}

/** A request for a feed that names nothing there is (an unknown author), or names it badly. */
export class FeedNotFound extends Error {}

/** Where a scope's feeds live, relative to the public base URL: `/feeds/<path>.<format>`. */
export function feedPath(scope: FeedScope): string {
  switch (scope.kind) {
    case 'all':
      return 'articles';
    case 'section':
      return `sections/${encodeURIComponent(scope.section)}`;
    case 'author':
      return `authors/${encodeURIComponent(scope.slug)}`;
    case 'language':
      return `languages/${encodeURIComponent(scope.language)}`;
  }
}

function describe(scope: FeedScope, site: string, authorName: string | undefined): { title: string; description: string } {
  switch (scope.kind) {
    case 'all':
      return { title: site, description: `The newest articles of ${site}.` };
    case 'section':
      return { title: `${site}: ${scope.section}`, description: `The newest articles in the section ${scope.section}.` };
    case 'author':
      return { title: `${site}: ${authorName}`, description: `The newest articles credited to ${authorName}.` };
    case 'language':
      return { title: `${site} (${scope.language})`, description: `The newest articles available in ${scope.language}, translations included.` };
  }
}

/** Where the feed's links point, what the site is called, and how many entries a feed holds. */
export interface FeedSite {
  baseUrl: string;
  name: string;
  entries: number;
}

export async function readFeed(schema: GraphQLSchema, context: Context, scope: FeedScope, site: FeedSite): Promise<FeedSource> {
  const { baseUrl } = site;
  const filter = scope.kind === 'section' ? { section: scope.section } : scope.kind === 'author' ? { authorSlug: scope.slug } : scope.kind === 'language' ? { language: scope.language } : null;
  const result = await execute({
    schema,
    document: FEED_OPERATION,
    contextValue: context,
    variableValues: { first: site.entries, filter, authorSlug: scope.kind === 'author' ? scope.slug : '', byAuthor: scope.kind === 'author' },
  });
  if (result.errors?.some((e) => e.extensions?.code === 'BAD_USER_INPUT')) throw new FeedNotFound('no such feed');
  if (result.errors) throw result.errors[0];
  const answer = result.data as unknown as FeedAnswer;
  if (scope.kind === 'author' && !answer.author) throw new FeedNotFound('no such author');

  const items: FeedEntry[] = answer.articles.edges.map(({ node }) => {
    const url = `${baseUrl}/read/${encodeURIComponent(node.slug)}`;
    const updatedAt = new Date(node.updatedAt);
    return {
      id: url,
      url,
      title: node.title,
      summary: node.summary,
      language: node.language,
      categories: [node.section, node.kind].filter((c): c is string => c !== null),
      publishedAt: node.publishedAt === null ? updatedAt : new Date(node.publishedAt),
      updatedAt,
      authors: node.authors.map((a) => ({ name: a.name })),
      license: node.license,
      heroImage: node.heroImage && {
        title: node.heroImage.title,
        pageUrl: node.heroImage.sourceUrl,
        credit: node.heroImage.credit.text,
        licenseUrl: node.heroImage.license?.url ?? null,
      },
    };
  });
  const path = `${baseUrl}/feeds/${feedPath(scope)}`;
  const urls = { rss: `${path}.rss`, atom: `${path}.atom`, json: `${path}.json` } satisfies Record<FeedFormat, string>;
  const newest = Math.max(0, ...items.map((i) => i.updatedAt.getTime()));
  return {
    ...describe(scope, site.name, answer.author?.name),
    publisher: site.name,
    homeUrl: `${baseUrl}/`,
    urls,
    language: scope.kind === 'language' ? scope.language : null,
    updated: newest === 0 ? new Date(0) : new Date(newest),
    entries: items,
  };
}
