import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { EventType } from '../entities/enums';
import { ContentEvent } from '../entities/event.entity';
import { PageInfo } from './connection.types';

const AFTER_DESCRIPTION =
  'An event cursor: first replays every matching event after it from the log, then continues live, with no gap and no repeat. Without it, only events from now on.';

@ObjectType({ description: 'An article that became public, or a public article that was edited. The payload resolves like any query.' })
export class ArticleEvent {
  @Field({ description: 'Resume after this event with `after`.' })
  cursor: string;

  @Field(() => EventType, { description: 'ARTICLE_PUBLISHED, or TRANSLATION_PUBLISHED for a new translation; ARTICLE_UPDATED for an edit.' })
  type: EventType;

  @Field(() => GraphQLDateTimeISO)
  occurredAt: Date;
}

@ObjectType({ description: 'A translation of an article was published.' })
export class TranslationEvent {
  @Field()
  cursor: string;

  @Field({ description: 'The language translated into.' })
  language: string;

  @Field(() => GraphQLDateTimeISO)
  occurredAt: Date;
}

@ObjectType({ description: 'A reader asked for a translation (editors only).' })
export class TranslationRequestEvent {
  @Field()
  cursor: string;

  @Field({ description: 'The language asked for.' })
  language: string;

  @Field(() => GraphQLDateTimeISO)
  occurredAt: Date;
}

@InputType()
export class ArticlePublishedFilter {
  @Field(() => String, { nullable: true, description: 'Only articles in this section.' })
  section?: string | null;

  @Field(() => String, { nullable: true, description: 'Only articles in this language (any region of it).' })
  language?: string | null;
}

@ArgsType()
export class ArticleEventArgs {
  @Field(() => ArticlePublishedFilter, { nullable: true })
  filter?: ArticlePublishedFilter | null;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

@ArgsType()
export class TranslationPublishedArgs {
  @Field(() => ID, { description: 'The original article.' })
  articleId: string;

  @Field(() => String, { nullable: true, description: 'Only translations into this language.' })
  language?: string | null;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

@ArgsType()
export class TranslationRequestedArgs {
  @Field(() => ID, { nullable: true, description: 'Only requests for this article.' })
  articleId?: string | null;

  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

@ArgsType()
export class EventsArgs {
  @Field(() => String, { nullable: true, description: 'An event cursor (or "0" for the start of the log).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (20 when not given).' })
  first?: number | null;
}

@ObjectType()
export class EventEdge {
  @Field()
  cursor: string;

  @Field(() => ContentEvent)
  node: ContentEvent;
}

@ObjectType({ description: 'Events in log order. Poll with `after: pageInfo.endCursor` to catch up without a socket.' })
export class EventConnection {
  @Field(() => [EventEdge])
  edges: EventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
