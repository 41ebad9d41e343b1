import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { TranslationState } from '../entities/enums';
import { TranslationRequest } from '../entities/translation-request.entity';
import type { Context } from '../src/graphql/context';
import { RequestTranslationInput, RequestTranslationPayload } from './translation.types';

@Resolver(() => TranslationRequest)
export class TranslationResolver {
  @Mutation(() => RequestTranslationPayload, {
    description: 'A reader (x-reader-id header) asks for the article in a language. Asking again changes nothing.',
  })
  requestTranslation(@Arg('input') input: RequestTranslationInput, @Ctx() ctx: Context): Promise<RequestTranslationPayload> {
    return ctx.translations.request(input, ctx.readerId, ctx.clientAddress);
  }

  @FieldResolver(() => TranslationState, {
    description: "What readers are shown for this language: the state of the article's translation box (see Article.translationStatus).",
  })
  state(@Root() request: TranslationRequest, @Ctx() ctx: Context): Promise<TranslationState> {
    return ctx.translations.publicState(request);
  }

  @FieldResolver(() => Article, { nullable: true })
  article(@Root() request: TranslationRequest, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(request.articleId);
  }
}
