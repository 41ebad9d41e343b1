import { Field, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO, GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'Open Graph (and Twitter card) facts for link previews.' })
export class OpenGraph {
  @Field({ description: 'Always "article".' })
  type: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field({ description: 'The canonical URL.' })
  url: string;

  @Field({ description: 'SITE_NAME.' })
  siteName: string;

  @Field({ description: 'The language as Open Graph writes it: pt_BR, en.' })
  locale: string;

  @Field(() => String, { nullable: true, description: "The hero image's source; null without one." })
  image: string | null;

  @Field(() => String, { nullable: true, description: "The hero image's credit line, as its alternative text." })
  imageAlt: string | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  publishedTime: Date | null;

  @Field(() => GraphQLDateTimeISO)
  modifiedTime: Date;

  @Field(() => [String], { description: 'Credited authors by name; empty without a byline.' })
  authors: string[];

  @Field(() => String, { nullable: true })
  section: string | null;
}

@ObjectType({ description: "What search engines and link previews read about an article: the same facts the reader page's <head> carries." })
export class ArticleSeo {
  @Field({ description: 'The reader page, under PUBLIC_BASE_URL (or the origin the request came to).' })
  canonicalUrl: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true, description: 'The summary; null where the article has none.' })
  description: string | null;

  @Field(() => OpenGraph)
  openGraph: OpenGraph;

  @Field(() => GraphQLJSONObject, { description: 'schema.org NewsArticle, as JSON-LD: authors only where credited, licenses and image credit from the content, links between language versions.' })
  jsonLd: Record<string, unknown>;
}
