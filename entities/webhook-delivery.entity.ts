import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { toGlobalId } from '../src/graphql/global-id';
import { EventType, WebhookDeliveryStatus } from './enums';

/** One event for one webhook: the attempts made, and when the next one is due. */
@ObjectType({ description: 'One event for one webhook: its attempts and when the next is due.' })
@Entity('webhook_delivery')
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('WebhookDelivery', this.rowId);
  }

  @Column({ name: 'webhook_id', type: 'integer' })
  webhookId: number;

  @Field(() => Int, { description: "The event's sequence number, which the POST carries as its id." })
  @Column({ name: 'event_id', type: 'integer' })
  eventId: number;

  @Field(() => EventType)
  eventType: EventType;

  @Field(() => WebhookDeliveryStatus)
  @Column({ type: 'varchar', length: 20 })
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt." })
  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true, description: 'What went wrong at the last attempt, when no status came back.' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'When the next attempt is due, while PENDING.' })
  @Column({ name: 'next_attempt_at', type: Date })
  nextAttemptAt: Date | null;

  @Column({ name: 'first_attempt_at', type: Date, nullable: true })
  firstAttemptAt: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  @Column({ name: 'delivered_at', type: Date, nullable: true })
  deliveredAt: Date | null;

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
