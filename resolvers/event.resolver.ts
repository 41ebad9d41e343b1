import { GraphQLError } from 'graphql';
import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Article } from '../entities/article.entity';
import { ApiKeyRole } from '../entities/enums';
import { ContentEvent } from '../entities/event.entity';
import { TranslationRequest } from '../entities/translation-request.entity';
import type { CheckedEvent } from '../src/events/event.service';
import type { Context } from '../src/graphql/context';
import {
  ArticleEvent,
  ArticleEventArgs,
  EventConnection,
  EventsArgs,
  TranslationEvent,
  TranslationPublishedArgs,
  TranslationRequestedArgs,
  TranslationRequestEvent,
} from './event.types';

type SubscribeData<A> = { args: A; context: Context };

/**
 * The event a subscription delivers, its articles as its check saw them. A subscription sent over
 * HTTP is executed like a query, with no event: the client is told where subscriptions are served
 * instead of getting a null error.
 */
function delivered(checked: CheckedEvent | undefined, ctx: Context): ContentEvent {
  if (checked === undefined) {
    throw new GraphQLError('Subscriptions are served over a WebSocket at /graphql (graphql-transport-ws); over HTTP, poll `events` instead.', {
      extensions: { code: 'BAD_REQUEST' },
    });
  }
  for (const article of checked.articles) ctx.loaders.articleById.prime(article.rowId, article);
  return checked.event;
}

// Each subscription's arguments are declared by its handler's @Args (for the schema) and read by
// its `subscribe` function; the handler itself only passes the event on to the payload's fields.
@Resolver(() => ContentEvent)
export class EventResolver {
  @Query(() => EventConnection, { description: 'The event log, for integrators who poll instead of subscribing.' })
  events(@Args() { after, first }: EventsArgs, @Ctx() ctx: Context): Promise<EventConnection> {
    return ctx.events.page(after, first);
  }

  @Subscription(() => ArticleEvent, {
    description: 'Articles and translations as they are published.',
    subscribe: ({ args, context }: SubscribeData<ArticleEventArgs>) => context.events.articlePublished(args.filter, args.after),
  })
  articlePublished(@Root() checked: CheckedEvent | undefined, @Args() _args: ArticleEventArgs, @Ctx() ctx: Context): ContentEvent {
    return delivered(checked, ctx);
  }

  @Subscription(() => ArticleEvent, {
    description: 'Edits of public articles and translations (type ARTICLE_UPDATED); edits of drafts are not delivered.',
    subscribe: ({ args, context }: SubscribeData<ArticleEventArgs>) => context.events.articleUpdated(args.filter, args.after),
  })
  articleUpdated(@Root() checked: CheckedEvent | undefined, @Args() _args: ArticleEventArgs, @Ctx() ctx: Context): ContentEvent {
    return delivered(checked, ctx);
  }

  @Subscription(() => TranslationEvent, {
    description: 'Translations of one article as they are published.',
    subscribe: ({ args, context }: SubscribeData<TranslationPublishedArgs>) =>
      context.events.translationPublished(args.articleId, args.language, args.after),
  })
  translationPublished(@Root() checked: CheckedEvent | undefined, @Args() _args: TranslationPublishedArgs, @Ctx() ctx: Context): ContentEvent {
    return delivered(checked, ctx);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Subscription(() => TranslationRequestEvent, {
    description: 'Editors only: readers asking for translations.',
    subscribe: ({ args, context }: SubscribeData<TranslationRequestedArgs>) => context.events.translationRequested(args.articleId, args.after),
  })
  translationRequested(@Root() checked: CheckedEvent | undefined, @Args() _args: TranslationRequestedArgs, @Ctx() ctx: Context): ContentEvent {
    return delivered(checked, ctx);
  }

  @FieldResolver(() => Article, { nullable: true, description: 'The article, while it is public.' })
  article(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(event.articleId);
  }

  @FieldResolver(() => Article, { nullable: true, description: 'For translation events: the original article.' })
  original(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return event.originalId == null ? Promise.resolve(null) : ctx.loaders.articleById.load(event.originalId);
  }
}

@Resolver(() => ArticleEvent)
export class ArticleEventResolver {
  @FieldResolver(() => Article)
  article(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(event.articleId);
  }
}

@Resolver(() => TranslationEvent)
export class TranslationEventResolver {
  @FieldResolver(() => Article)
  original(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(event.originalId as number);
  }

  @FieldResolver(() => Article)
  translation(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(event.articleId);
  }
}

@Resolver(() => TranslationRequestEvent)
export class TranslationRequestEventResolver {
  @FieldResolver(() => TranslationRequest)
  request(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<TranslationRequest | null> {
    return ctx.loaders.translationRequestById.load(event.requestId as number);
  }

  @FieldResolver(() => Article)
  article(@Root() event: ContentEvent, @Ctx() ctx: Context): Promise<Article | null> {
    return ctx.loaders.articleById.load(event.articleId);
  }
}
