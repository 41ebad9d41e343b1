import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { ArticleSeo } from './seo.types';
import { Author } from '../entities/author.entity';
import { Image } from '../entities/image.entity';
import { License } from '../entities/license.entity';
import { Publication } from '../entities/publication.entity';
import type { Context } from '../src/graphql/context';
import { userInputError } from '../src/graphql/errors';
import { expectGlobalId } from '../src/graphql/global-id';
import { ArticlesArgs, SearchArgs } from './article.args';
import { ArticleConnection } from './connection.types';
import { TranslationStatus } from './translation.types';

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => Article, { nullable: true, description: 'A published article by slug or by id (exactly one of them).' })
  article(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
  ): Promise<Article | null> {
    if ((slug == null) === (id == null)) throw userInputError('Pass exactly one of slug and id.', slug == null ? 'slug' : 'id');
    return slug != null ? ctx.loaders.articleBySlug.load(slug) : ctx.loaders.articleById.load(expectGlobalId(id as string, 'Article', 'id'));
  }

  @Query(() => ArticleConnection, { description: 'Published articles, newest first unless ordered otherwise.' })
  articles(@Args() args: ArticlesArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return ctx.feed.list(args);
  }

  @Query(() => ArticleConnection, { description: 'Published articles ranked by relevance to the words asked for.' })
  search(@Args() args: SearchArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return ctx.search.search(args);
  }

  @FieldResolver(() => [String], { nullable: true, description: 'The body as paragraphs; null where the source has none.' })
  body(@Root() article: Article, @Ctx() ctx: Context): string[] | null | Promise<string[] | null> {
    return article.body !== undefined ? article.body : ctx.loaders.bodyByArticle.load(article.rowId);
  }

  @FieldResolver(() => [Author], { description: 'In byline order; empty when the source gives no byline.' })
  authors(@Root() article: Article, @Ctx() ctx: Context): Promise<Author[]> {
    return ctx.loaders.authorsByArticle.load(article.rowId);
  }

  @FieldResolver(() => Publication, { nullable: true })
  publication(@Root() article: Article, @Ctx() ctx: Context): Publication | Promise<Publication | null> | null {
    return article.publicationId == null ? null : ctx.loaders.publicationById.get(article.publicationId);
  }

  @FieldResolver(() => Image, { nullable: true })
  heroImage(@Root() article: Article, @Ctx() ctx: Context): Image | Promise<Image | null> | null {
    return article.heroImageId == null ? null : ctx.loaders.imageById.get(article.heroImageId);
  }

  @FieldResolver(() => License, { nullable: true })
  license(@Root() article: Article, @Ctx() ctx: Context): License | Promise<License | null> | null {
    return article.licenseId == null ? null : ctx.loaders.licenseById.get(article.licenseId);
  }

  @FieldResolver(() => [Article], { description: 'The curated "You may also like" list, in the order editors chose.' })
  async related(
    @Root() article: Article,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 3 }) first: number,
  ): Promise<Article[]> {
    if (!Number.isInteger(first) || first < 1 || first > 20) throw userInputError(`first must be between 1 and 20; it was ${first}.`, 'first');
    return (await ctx.loaders.relatedByArticle.load(article.rowId)).slice(0, first);
  }

  @FieldResolver(() => ArticleSeo, { description: 'Canonical URL, Open Graph and schema.org JSON-LD: what the reader page puts in its <head>.' })
  seo(@Root() article: Article, @Ctx() ctx: Context): Promise<ArticleSeo> {
    return ctx.seo.of(article);
  }

  @FieldResolver(() => [Article], { description: 'The other published language versions of this article, original included.' })
  async translations(@Root() article: Article, @Ctx() ctx: Context): Promise<Article[]> {
    const versions = await ctx.loaders.versionsByOriginal.load(article.translationOfId ?? article.rowId);
    return versions.filter((v) => v.rowId !== article.rowId);
  }

  @FieldResolver(() => Article, { nullable: true, description: 'The original, when this article is a translation.' })
  translationOf(@Root() article: Article, @Ctx() ctx: Context): Promise<Article | null> | null {
    return article.translationOfId == null ? null : ctx.loaders.articleById.load(article.translationOfId);
  }

  @FieldResolver(() => TranslationStatus, { description: "What a reader of `language` sees in the article's translation box." })
  translationStatus(
    @Root() article: Article,
    @Ctx() ctx: Context,
    @Arg('language', { description: 'The reader\'s BCP 47 language tag, e.g. navigator.language.' }) language: string,
  ): Promise<TranslationStatus> {
    return ctx.translations.status(article, language);
  }
}
