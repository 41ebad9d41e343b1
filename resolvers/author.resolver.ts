import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Author } from '../entities/author.entity';
import type { Context } from '../src/graphql/context';
import { PageArgs } from './article.args';
import { ArticleConnection, AuthorConnection } from './connection.types';

@Resolver(() => Author)
export class AuthorResolver {
  @Query(() => Author, { nullable: true })
  author(@Arg('slug') slug: string, @Ctx() ctx: Context): Promise<Author | null> {
    return ctx.loaders.authorBySlug.load(slug);
  }

  @Query(() => AuthorConnection)
  authors(@Args() args: PageArgs, @Ctx() ctx: Context): Promise<AuthorConnection> {
    return ctx.authors.list(args);
  }

  @FieldResolver(() => ArticleConnection, { description: "This author's published articles, newest first." })
  articles(@Root() author: Author, @Args() args: PageArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return ctx.authors.articles(author, args);
  }
}
