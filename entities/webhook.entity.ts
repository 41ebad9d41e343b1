import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { toGlobalId } from '../src/graphql/global-id';
import { EventType } from './enums';

@ObjectType({ description: 'Only events of these kinds, in this section and language, are delivered.' })
export class WebhookFilter {
  @Field(() => String, { nullable: true })
  section: string | null;

  @Field(() => String, { nullable: true, description: 'Any region of this language.' })
  language: string | null;
}

/** An integrator's endpoint that receives the event log as signed POSTs. Editors manage them. */
@ObjectType({ description: 'A receiver of signed POSTs for the events it asks for (editors only).' })
@Entity('webhook')
export class Webhook {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Webhook', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Field(() => [EventType])
  @Column({ type: 'varchar', length: 200, transformer: { to: (v: EventType[]) => v.join(','), from: (v: string) => v.split(',') as EventType[] } })
  events: EventType[];

  @Column({ name: 'filter_section', type: 'varchar', length: 200, nullable: true })
  filterSection: string | null;

  @Column({ name: 'filter_language', type: 'varchar', length: 35, nullable: true })
  filterLanguage: string | null;

  @Field(() => WebhookFilter)
  get filter(): WebhookFilter {
    return { section: this.filterSection, language: this.filterLanguage };
  }

  @Column({ type: 'varchar', length: 100 })
  secret: string;

  @Field({ description: 'Inactive webhooks receive nothing; events while inactive are not delivered later.' })
  @Column({ type: Boolean })
  active: boolean;

  @Field(() => String, { nullable: true, description: 'Why the webhook was disabled, when it was.' })
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Field(() => Int, { description: 'Failed attempts in a row; reaching the configured run disables the webhook.' })
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ type: 'integer' })
  cursor: number;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: Date, nullable: true })
  leaseUntil: Date | null;

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Field(() => GraphQLDateTimeISO)
  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
