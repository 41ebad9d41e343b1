import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { ApiKeyRole, TranslationRequestStatus } from '../entities/enums';
import { TranslationRequest } from '../entities/translation-request.entity';
import type { Context } from '../src/graphql/context';
import { PublishTranslationInput, TranslationQueueArgs, TranslationRequestConnection } from './translation-workflow.types';

@Resolver()
export class TranslationWorkflowResolver {
  @Authorized(ApiKeyRole.EDITOR)
  @Query(() => TranslationRequestConnection, { description: "Editors only: the translation request queue." })
  translationRequests(@Args() { status, first, after }: TranslationQueueArgs, @Ctx() ctx: Context): Promise<TranslationRequestConnection> {
    return ctx.translationWorkflow.queue(status, first, after);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => TranslationRequest, {
    description: 'REQUESTED -> ACCEPTED -> IN_PROGRESS, or DECLINED from any of them; PUBLISHED comes with publishTranslation.',
  })
  setTranslationRequestStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => TranslationRequestStatus) status: TranslationRequestStatus,
    @Ctx() ctx: Context,
  ): Promise<TranslationRequest> {
    return ctx.translationWorkflow.setStatus(id, status);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Article, {
    description: "Publishes a translation: the language's translation status turns AVAILABLE and its request PUBLISHED.",
  })
  publishTranslation(@Arg('input') input: PublishTranslationInput, @Ctx() ctx: Context): Promise<Article> {
    return ctx.translationWorkflow.publish(input);
  }
}
