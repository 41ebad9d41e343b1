import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { ApiKeyRole } from '../entities/enums';
import type { Context } from '../src/graphql/context';
import { CreateArticleInput, UpdateArticleInput } from './article-editing.inputs';

@Resolver()
export class ArticleEditingResolver {
  @Authorized(ApiKeyRole.EDITOR)
  @Query(() => Article, { nullable: true, description: 'Editors only: any article, drafts included.' })
  articleForEditor(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.articleEditor.find(id);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Article, { description: 'Creates a DRAFT article.' })
  createArticle(@Arg('input') input: CreateArticleInput, @Ctx() ctx: Context): Promise<Article> {
    return ctx.articleEditor.create(input);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Article, { description: 'Changes a draft or a published article; it keeps its status.' })
  updateArticle(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateArticleInput, @Ctx() ctx: Context): Promise<Article> {
    return ctx.articleEditor.update(id, input);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Article, { description: 'Makes an article public and records an ARTICLE_PUBLISHED event. Publishing twice changes nothing.' })
  publishArticle(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    return ctx.articleEditor.publish(id);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Article, { description: 'Turns a published article back into a draft and records an ARTICLE_UNPUBLISHED event.' })
  unpublishArticle(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    return ctx.articleEditor.unpublish(id);
  }
}
