import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKeyRole, WebhookDeliveryStatus } from '../entities/enums';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { Webhook } from '../entities/webhook.entity';
import type { Context } from '../src/graphql/context';
import { CreateWebhookInput, CreateWebhookPayload, UpdateWebhookInput } from './webhook.types';

@Authorized(ApiKeyRole.EDITOR)
@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => [Webhook], { description: 'Editors only: every webhook.' })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return ctx.webhooks.list();
  }

  @Mutation(() => CreateWebhookPayload, { description: 'Registers a receiver for the events that happen from now on; returns its secret once.' })
  createWebhook(@Arg('input') input: CreateWebhookInput, @Ctx() ctx: Context): Promise<CreateWebhookPayload> {
    return ctx.webhooks.create(input);
  }

  @Mutation(() => Webhook)
  updateWebhook(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateWebhookInput, @Ctx() ctx: Context): Promise<Webhook> {
    return ctx.webhooks.update(id, input);
  }

  @Mutation(() => Webhook, { description: 'Stops deliveries; events until it is enabled again are not delivered.' })
  disableWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Webhook> {
    return ctx.webhooks.disable(id);
  }

  @Mutation(() => Webhook, { description: 'Resumes deliveries, pending ones first, and resets the failure count.' })
  enableWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Webhook> {
    return ctx.webhooks.enable(id);
  }

  @Mutation(() => ID, { description: 'Deletes the webhook and its delivery log.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.webhooks.delete(id);
  }

  @Mutation(() => CreateWebhookPayload, { description: 'A new signing secret, returned once; the old one stops signing at once.' })
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CreateWebhookPayload> {
    return ctx.webhooks.rotateSecret(id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends one event (again) as the next delivery of this webhook.' })
  redeliverWebhookEvent(
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('eventId', () => Int, { description: "The event's sequence number." }) eventId: number,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery> {
    return ctx.webhooks.redeliver(webhookId, eventId);
  }

  @Mutation(() => Int, { description: 'Sends again every matching event after this one; returns how many were scheduled.' })
  redeliverWebhookEventsAfter(
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('afterEventId', () => Int) afterEventId: number,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return ctx.webhooks.redeliverAfter(webhookId, afterEventId);
  }

  @FieldResolver(() => [WebhookDelivery], { description: 'Recent deliveries, newest event first.' })
  deliveries(
    @Root() webhook: Webhook,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100 (20 when not given).' }) first: number | null,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery[]> {
    return ctx.webhooks.deliveries(webhook.rowId, first, status);
  }
}
