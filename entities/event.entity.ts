import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { encodeEventCursor } from '../src/events/event-cursor';
import { toGlobalId } from '../src/graphql/global-id';
import { EventType } from './enums';
import { cacheKeysOf } from '../src/events/event-cache-keys';

/**
 * One entry of the durable event log, written in the same transaction as the change it records.
 * Its row id is the event's sequence number: strictly increasing, never reused.
 */
@ObjectType('Event', { description: 'An entry of the event log; `cursor` resumes a subscription or `events` after it.' })
@Entity('event')
export class ContentEvent {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => Int, { description: 'Position in the log: strictly increasing, never reused.' })
  get sequence(): number {
    return this.rowId;
  }

  @Field({ description: 'Pass as `after` to `events` or to a subscription to continue after this event.' })
  get cursor(): string {
    return encodeEventCursor(this.rowId);
  }

  @Field(() => EventType)
  @Column({ type: 'varchar', length: 40 })
  type: EventType;

  /** The article the event is about: for TRANSLATION_PUBLISHED, the new translation. */
  @Column({ name: 'article_id', type: 'integer' })
  articleId: number;

  @Field(() => ID, { name: 'articleId', description: 'The id of the article the event is about, even if it is no longer public.' })
  get articleGlobalId(): string {
    return toGlobalId('Article', this.articleId);
  }

  /** For translation events: the original article. */
  @Column({ name: 'original_id', type: 'integer', nullable: true })
  originalId: number | null;

  @Column({ name: 'request_id', type: 'integer', nullable: true })
  requestId: number | null;

  @Field({ description: "The article's language; for translation events, the language translated into." })
  @Column({ type: 'varchar', length: 35 })
  language: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  section: string | null;

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'created_at', type: Date })
  occurredAt: Date;

  /** Space-separated; older events, written before events named them, have them derived from their type. */
  @Column({ name: 'cache_keys', type: 'varchar', length: 2000, nullable: true })
  cacheKeyText: string | null;

  @Field(() => [String], { description: 'The cache keys this event makes stale (Surrogate-Key / Cache-Tag of the answers built from what changed): what a CDN purge needs.' })
  get cacheKeys(): string[] {
    return (this.cacheKeyText ?? cacheKeysOf(this)).split(' ');
  }
}
