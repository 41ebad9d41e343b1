import { Field, ObjectType } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { Author } from '../entities/author.entity';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType()
export class ArticleEdge {
  @Field()
  cursor: string;

  @Field(() => Article)
  node: Article;
}

@ObjectType({ description: 'A page of published articles.' })
export class ArticleConnection {
  @Field(() => [ArticleEdge])
  edges: ArticleEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  countTotal: () => Promise<number>;
}

@ObjectType()
export class AuthorEdge {
  @Field()
  cursor: string;

  @Field(() => Author)
  node: Author;
}

@ObjectType({ description: 'A page of authors, in slug order.' })
export class AuthorConnection {
  @Field(() => [AuthorEdge])
  edges: AuthorEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  countTotal: () => Promise<number>;
}

export const TOTAL_COUNT_DESCRIPTION = 'How many items the whole list holds, across all pages. Computed only when asked for.';
