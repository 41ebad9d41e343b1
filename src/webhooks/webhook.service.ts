import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { EventType, WebhookDeliveryStatus } from '../../entities/enums';
import { WebhookDelivery } from '../../entities/webhook-delivery.entity';
import { Webhook } from '../../entities/webhook.entity';
import { execute, fromSqlBool, fromSqlTime, insertOne, query, Row, toSqlTime, writeTransaction } from '../db/sql';
import { notFoundError } from '../graphql/errors';
import { lastSequence, readEventsAfter } from '../events/event-log';
import { expectGlobalId } from '../graphql/global-id';
import { translationTarget } from '../translations/language';
import { pageSize } from '../graphql/pagination';
import { urlProblem } from './address-guard';
import type { WebhookDispatcher } from './dispatcher';
import { generateWebhookSecret } from './signature';
import { fieldError, language, parseInput } from '../articles/editor-input';

const fields = {
  url: z.string().max(2000, 'must be at most 2000 characters'),
  events: z
    .array(z.enum(EventType))
    .min(1, 'must name at least one event type')
    .refine((types) => new Set(types).size === types.length, 'must not name an event type twice'),
  filter: z.object({ section: z.string().max(200, 'must be at most 200 characters').nullish(), language: language.nullish() }).nullish(),
};
const createSchema = z.object(fields);
const updateSchema = z.object(fields).partial();

/** Events read, and deliveries scheduled at most, per transaction of a redelivery. */
const REDELIVERY_BATCH = 500;

export type CreateWebhookFields = z.input<typeof createSchema>;
export type UpdateWebhookFields = z.input<typeof updateSchema>;

function toWebhook(row: Row): Webhook {
  const w = new Webhook();
  w.rowId = Number(row.id);
  w.url = row.url as string;
  w.events = String(row.events).split(',') as EventType[];
  w.filterSection = (row.filter_section as string | null) ?? null;
  w.filterLanguage = (row.filter_language as string | null) ?? null;
  w.secret = row.secret as string;
  w.active = Boolean(fromSqlBool(row.active));
  w.disabledReason = (row.disabled_reason as string | null) ?? null;
  w.consecutiveFailures = Number(row.consecutive_failures);
  w.cursor = Number(row.cursor);
  w.createdAt = fromSqlTime(row.created_at) as Date;
  w.updatedAt = fromSqlTime(row.updated_at) as Date;
  return w;
}

function toDelivery(row: Row): WebhookDelivery {
  const d = new WebhookDelivery();
  d.rowId = Number(row.id);
  d.webhookId = Number(row.webhook_id);
  d.eventId = Number(row.event_id);
  d.eventType = row.type as EventType;
  d.status = row.status as WebhookDeliveryStatus;
  d.attempts = Number(row.attempts);
  d.lastStatusCode = row.last_status_code == null ? null : Number(row.last_status_code);
  d.lastError = (row.last_error as string | null) ?? null;
  d.nextAttemptAt = d.status === WebhookDeliveryStatus.PENDING ? fromSqlTime(row.next_attempt_at) : null;
  d.firstAttemptAt = fromSqlTime(row.first_attempt_at);
  d.deliveredAt = fromSqlTime(row.delivered_at);
  d.createdAt = fromSqlTime(row.created_at) as Date;
  return d;
}

/** Editors' management of webhooks. Every write is checked first and runs in one transaction. */
export class WebhookService {
  constructor(
    private readonly db: DataSource,
    private readonly dispatcher: WebhookDispatcher,
    private readonly allowPrivateUrls: boolean,
  ) {}

  async list(): Promise<Webhook[]> {
    return (await query(this.db, 'SELECT * FROM webhook ORDER BY id')).map(toWebhook);
  }

  /** A new webhook receives the events that happen from now on. */
  async create(input: CreateWebhookFields): Promise<{ webhook: Webhook; secret: string }> {
    const v = parseInput(createSchema, input);
    await this.checkUrl(v.url);
    const secret = generateWebhookSecret();
    const webhook = await writeTransaction(this.db, async (tx) => {
      const now = toSqlTime(new Date());
      const rowId = await insertOne(
        tx,
        `INSERT INTO webhook (url, events, filter_section, filter_language, secret, active, consecutive_failures, cursor, created_at, updated_at)
         VALUES (:url, :events, :section, :language, :secret, :active, 0, :cursor, :now, :now)`,
        {
          url: v.url,
          events: v.events.join(','),
          section: v.filter?.section ?? null,
          language: v.filter?.language ? translationTarget(v.filter.language) : null,
          secret,
          active: true,
          cursor: await lastSequence(tx),
          now,
        },
      );
      return this.read(tx, rowId);
    });
    return { webhook, secret };
  }

  /** Changes the fields given. */
  async update(id: string, input: UpdateWebhookFields): Promise<Webhook> {
    const rowId = expectGlobalId(id, 'Webhook', 'id');
    const v = parseInput(updateSchema, input);
    if (v.url !== undefined) await this.checkUrl(v.url);
    return writeTransaction(this.db, async (tx) => {
      await this.read(tx, rowId);
      const set: Record<string, unknown> = { updated_at: toSqlTime(new Date()) };
      if (v.url !== undefined) set.url = v.url;
      if (v.events !== undefined) set.events = v.events.join(',');
      if (v.filter !== undefined) {
        set.filter_section = v.filter?.section ?? null;
        set.filter_language = v.filter?.language ? translationTarget(v.filter.language) : null;
      }
      await query(tx, `UPDATE webhook SET ${Object.keys(set).map((c) => `${c} = :${c}`).join(', ')} WHERE id = :rowId`, { ...set, rowId });
      return this.read(tx, rowId);
    });
  }

  /** Stops deliveries; pending ones wait, and events until it is enabled again are not delivered. */
  async disable(id: string): Promise<Webhook> {
    const rowId = expectGlobalId(id, 'Webhook', 'id');
    return writeTransaction(this.db, async (tx) => {
      await this.read(tx, rowId);
      await query(tx, 'UPDATE webhook SET active = :no, disabled_reason = :reason, updated_at = :now WHERE id = :rowId', {
        no: false,
        reason: 'disabled by an editor',
        now: toSqlTime(new Date()),
        rowId,
      });
      return this.read(tx, rowId);
    });
  }

  /** Resumes deliveries: pending ones first, then events from now on. */
  async enable(id: string): Promise<Webhook> {
    const rowId = expectGlobalId(id, 'Webhook', 'id');
    const webhook = await writeTransaction(this.db, async (tx) => {
      const current = await this.read(tx, rowId);
      if (!current.active) {
        await query(
          tx,
          `UPDATE webhook SET active = :yes, disabled_reason = NULL, consecutive_failures = 0, cursor = :cursor, updated_at = :now
            WHERE id = :rowId`,
          { yes: true, cursor: await lastSequence(tx), now: toSqlTime(new Date()), rowId },
        );
      }
      return this.read(tx, rowId);
    });
    this.dispatcher.poke();
    return webhook;
  }

  /** Deletes the webhook with its delivery log; returns its id. */
  async delete(id: string): Promise<string> {
    const rowId = expectGlobalId(id, 'Webhook', 'id');
    await writeTransaction(this.db, async (tx) => {
      await this.read(tx, rowId);
      await query(tx, 'DELETE FROM webhook_delivery WHERE webhook_id = :rowId', { rowId });
      await query(tx, 'DELETE FROM webhook WHERE id = :rowId', { rowId });
    });
    return id;
  }

  /** A new signing secret, shown once; the old one stops signing at once. */
  async rotateSecret(id: string): Promise<{ webhook: Webhook; secret: string }> {
    const rowId = expectGlobalId(id, 'Webhook', 'id');
    const secret = generateWebhookSecret();
    const webhook = await writeTransaction(this.db, async (tx) => {
      await this.read(tx, rowId);
      await query(tx, 'UPDATE webhook SET secret = :secret, updated_at = :now WHERE id = :rowId', { secret, now: toSqlTime(new Date()), rowId });
      return this.read(tx, rowId);
    });
    return { webhook, secret };
  }

  /** The most recent deliveries first. */
  async deliveries(webhookRowId: number, first: number | null | undefined, status: WebhookDeliveryStatus | null | undefined): Promise<WebhookDelivery[]> {
    const rows = await query(
      this.db,
      `SELECT d.*, e.type FROM webhook_delivery d JOIN event e ON e.id = d.event_id
        WHERE d.webhook_id = :webhookRowId ${status ? 'AND d.status = :status' : ''}
        ORDER BY d.event_id DESC LIMIT :limit`,
      { webhookRowId, status, limit: pageSize(first) },
    );
    return rows.map(toDelivery);
  }

  /** Sends one event (again), as the next delivery of this webhook. */
  async redeliver(webhookId: string, eventId: number): Promise<WebhookDelivery> {
    const rowId = expectGlobalId(webhookId, 'Webhook', 'webhookId');
    const delivery = await writeTransaction(this.db, async (tx) => {
      await this.read(tx, rowId);
      const [event] = await query(tx, 'SELECT id FROM event WHERE id = :eventId', { eventId });
      if (!event) throw fieldError('eventId', `matches no event (${eventId})`);
      await this.schedule(tx, rowId, [eventId]);
      const [row] = await query(tx, 'SELECT d.*, e.type FROM webhook_delivery d JOIN event e ON e.id = d.event_id WHERE d.webhook_id = :rowId AND d.event_id = :eventId', {
        rowId,
        eventId,
      });
      return toDelivery(row);
    });
    this.dispatcher.poke();
    return delivery;
  }

  /**
   * Sends again every event after `afterEventId` that this webhook asks for, up to what it has been
   * sent; returns how many. The log may be long: it is scheduled in batches, each a transaction of
   * its own, so that other writers (one at a time on SQLite) and deliveries get their turn
   * between them. A failure part-way leaves the batches before it scheduled; asking
   * again schedules them once more, which only re-queues them.
   */
  async redeliverAfter(webhookId: string, afterEventId: number): Promise<number> {
    const rowId = expectGlobalId(webhookId, 'Webhook', 'webhookId');
    if (!Number.isSafeInteger(afterEventId) || afterEventId < 0) throw fieldError('afterEventId', 'must be 0 or a positive event id');
    const webhook = await this.read(this.db, rowId);
    let scheduled = 0;
    for (let after: number | null = afterEventId; after !== null; ) {
      const batch = await this.redeliverBatch(webhook, after);
      scheduled += batch.scheduled;
      after = batch.next;
      // better-sqlite3 runs a whole batch without giving up the event loop: requests that arrived
      // meanwhile are let in before the next one.
      if (after !== null) await new Promise((resolve) => setImmediate(resolve));
    }
    this.dispatcher.poke();
    return scheduled;
  }

  /** One batch of redeliverAfter: how many it scheduled, and the event to go on after (null at the end). */
  private redeliverBatch(webhook: Webhook, after: number): Promise<{ scheduled: number; next: number | null }> {
    const types = new Set<string>(webhook.events);
    const language = webhook.filterLanguage;
    return writeTransaction(this.db, async (tx) => {
      await this.read(tx, webhook.rowId);
      const events = await readEventsAfter(tx, after, REDELIVERY_BATCH, { upTo: webhook.cursor });
      const matching = events.filter(
        (e) =>
          types.has(e.type) &&
          (!webhook.filterSection || e.section === webhook.filterSection) &&
          (!language || translationTarget(e.language) === language),
      );
      await this.schedule(tx, webhook.rowId, matching.map((e) => e.rowId));
      return { scheduled: matching.length, next: events.length < REDELIVERY_BATCH ? null : events[events.length - 1].rowId };
    });
  }

  private async schedule(tx: EntityManager, webhookRowId: number, eventIds: number[]): Promise<void> {
    if (eventIds.length === 0) return;
    await execute(
      tx,
      `INSERT INTO webhook_delivery (webhook_id, event_id, status, attempts, next_attempt_at, created_at)
       SELECT :webhookRowId, id, :pending, 0, :now, :now FROM event WHERE id IN (:...eventIds)
       ON CONFLICT (webhook_id, event_id) DO UPDATE SET status = :pending, attempts = 0, next_attempt_at = :now,
         first_attempt_at = NULL, last_status_code = NULL, last_error = NULL, delivered_at = NULL`,
      { webhookRowId, eventIds, pending: WebhookDeliveryStatus.PENDING, now: toSqlTime(new Date()) },
    );
  }

  private async checkUrl(url: string): Promise<void> {
    const problem = await urlProblem(url, this.allowPrivateUrls);
    if (problem) throw fieldError('input.url', problem);
  }

  private async read(tx: DataSource | EntityManager, rowId: number): Promise<Webhook> {
    const [row] = await query(tx, 'SELECT * FROM webhook WHERE id = :rowId', { rowId });
    if (!row) throw notFoundError('id: no webhook has this id.');
    return toWebhook(row);
  }
}
