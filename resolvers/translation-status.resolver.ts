import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Article } from '../entities/article.entity';
import type { Context } from '../src/graphql/context';
import { TranslationStatus } from './translation.types';

@Resolver(() => TranslationStatus)
export class TranslationStatusResolver {
  @FieldResolver(() => Article, { nullable: true, description: 'The published translation, when state is AVAILABLE.' })
  translation(@Root() status: TranslationStatus, @Ctx() ctx: Context): Promise<Article | null> | null {
    return status.translationId == null ? null : ctx.loaders.articleById.load(status.translationId);
  }
}
