import { Field, InputType, ObjectType } from 'type-graphql';
import { EventType } from '../entities/enums';
import { Webhook } from '../entities/webhook.entity';

@InputType()
export class WebhookFilterInput {
  @Field(() => String, { nullable: true, description: 'Only events about articles in this section.' })
  section?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events in this language (any region of it).' })
  language?: string | null;
}

@InputType()
export class CreateWebhookInput {
  @Field({ description: 'http(s) only; loopback and private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS=true.' })
  url: string;

  @Field(() => [EventType])
  events: EventType[];

  @Field(() => WebhookFilterInput, { nullable: true })
  filter?: WebhookFilterInput | null;
}

@InputType({ description: 'Fields to change; fields left out stay as they are.' })
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => [EventType], { nullable: true })
  events?: EventType[];

  @Field(() => WebhookFilterInput, { nullable: true, description: 'Replaces the whole filter; null removes it.' })
  filter?: WebhookFilterInput | null;
}

@ObjectType()
export class CreateWebhookPayload {
  @Field(() => Webhook)
  webhook: Webhook;

  @Field({ description: 'The signing secret. Shown only now: store it with the receiver.' })
  secret: string;
}
