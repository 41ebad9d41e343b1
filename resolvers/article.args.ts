import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { ArticleKind } from '../entities/enums';

export enum ArticleOrder {
  PUBLISHED_AT_DESC = 'PUBLISHED_AT_DESC',
  PUBLISHED_AT_ASC = 'PUBLISHED_AT_ASC',
}
registerEnumType(ArticleOrder, { name: 'ArticleOrder' });

@InputType({ description: 'All given conditions must hold.' })
export class ArticleFilter {
  @Field(() => String, { nullable: true })
  section?: string | null;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag.' })
  language?: string | null;

  @Field(() => String, { nullable: true })
  authorSlug?: string | null;

  @Field(() => String, { nullable: true })
  licenseKey?: string | null;

  @Field(() => String, { nullable: true })
  publicationKey?: string | null;

  @Field(() => ArticleKind, { nullable: true })
  kind?: ArticleKind | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Published at or after this time.' })
  publishedAfter?: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'Published before this time.' })
  publishedBefore?: Date | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'An endCursor from the previous page.' })
  after?: string | null;
}

@ArgsType()
export class ArticlesArgs extends PageArgs {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter | null;

  @Field(() => ArticleOrder, { nullable: true, defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy?: ArticleOrder | null;
}

@ArgsType()
export class SearchArgs extends PageArgs {
  @Field({ description: 'Words to look for in titles, summaries and bodies; all must match.' })
  query: string;
}
