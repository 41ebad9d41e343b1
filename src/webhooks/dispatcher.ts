import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ArticleStatus, EventType, WebhookDeliveryStatus } from '../../entities/enums';
import { cacheKeysOf } from '../events/event-cache-keys';
import { execute, fromSqlTime, query, Row, toSqlTime, writeTransaction } from '../db/sql';
import { readEventsAfter } from '../events/event-log';
import { toGlobalId } from '../graphql/global-id';
import { translationTarget } from '../translations/language';
import type { Logger } from '../observability/logger';
import { postJson, SendResult } from './sender';
import { signWebhook } from './signature';

export interface WebhookSettings {
  /** How long one POST may take, connection included. */
  timeoutMs: number;
  /** The first retry's delay; each further retry waits twice as long (up to an hour), plus up to 20% jitter. */
  retryBaseMs: number;
  /** A delivery still failing this long after its first attempt is given up (FAILED). */
  retryForMs: number;
  /** This many failed attempts in a row disable the webhook. */
  disableAfterFailures: number;
  /** How often due deliveries are looked for, besides when new events are announced. */
  pollIntervalMs: number;
  allowPrivateUrls: boolean;
}

const PLAN_BATCH = 500;
const ROUND_GAP_MS = 100;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const PARALLEL_WEBHOOKS = 4;

/** When the next attempt after `attempts` failed ones is due. */
export function retryDelay(attempts: number, baseMs: number, random = Math.random()): number {
  return Math.min(baseMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS) * (1 + 0.2 * random);
}

function articleFields(article: Row): Record<string, unknown> {
  const id = toGlobalId('Article', Number(article.id));
  if (article.status !== ArticleStatus.PUBLISHED) return { id, status: article.status };
  return {
    id,
    slug: article.slug,
    title: article.title,
    language: article.language,
    section: article.section ?? null,
    status: article.status,
    publishedAt: fromSqlTime(article.published_at)?.toISOString() ?? null,
    translationOf: article.translation_of_id == null ? null : toGlobalId('Article', Number(article.translation_of_id)),
  };
}

/**
 * Delivers the event log to webhooks, at least once and in order per webhook. It plans: each
 * active webhook gets a delivery row per matching event after its cursor. It delivers: for each
 * webhook with a due delivery, an instance takes a lease on the webhook (so exactly one instance
 * sends for it at a time) and sends its pending deliveries oldest first, stopping at the first
 * failure, which waits for its retry. All of this state is in the database, so a restart, or
 * another instance, carries on where this one stopped.
 */
export class WebhookDispatcher {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private runAgain = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly log: Logger,
    private readonly settings: WebhookSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poke(), this.settings.pollIntervalMs).unref();
    this.poke();
  }

  /** New events, or new work: plan and deliver now (once, however many pokes arrive meanwhile). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = (async () => {
      try {
        for (;;) {
          this.runAgain = false;
          // Without an active webhook there is nothing to deliver: a round costs one statement.
          if ((await this.plan()) > 0) await this.deliverDue();
          if (!this.runAgain || this.stopped) break;
          // Under a stream of writes, pokes arrive faster than rounds end: one round per gap
          // takes them all, instead of rounds back to back competing with the writes.
          await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
        }
      } catch (err) {
        this.log.warn({ err }, 'webhook delivery round failed; the next round retries');
      } finally {
        this.running = null;
      }
    })();
  }

  /** Stops starting new attempts and waits for the current round (at most one timeout per webhook). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Plans deliveries for new events; returns how many webhooks are active. */
  private async plan(): Promise<number> {
    const { db } = this;
    const webhooks = await query(db, 'SELECT id, events, filter_section, filter_language, cursor FROM webhook WHERE active = :yes', {
      yes: true,
    });
    if (webhooks.length === 0) return 0;
    const from = Math.min(...webhooks.map((w) => Number(w.cursor)));
    const events = await readEventsAfter(db, from, PLAN_BATCH);
    if (events.length === 0) return webhooks.length;
    const last = events[events.length - 1].rowId;
    await writeTransaction(db, async (tx) => {
      const now = toSqlTime(new Date());
      for (const w of webhooks) {
        const types = new Set(String(w.events).split(','));
        const language = w.filter_language ? translationTarget(String(w.filter_language)) : null;
        for (const e of events) {
          if (e.rowId <= Number(w.cursor) || !types.has(e.type)) continue;
          if (w.filter_section && e.section !== w.filter_section) continue;
          if (language && translationTarget(e.language) !== language) continue;
          await query(
            tx,
            `INSERT INTO webhook_delivery (webhook_id, event_id, status, attempts, next_attempt_at, created_at)
             VALUES (:webhookId, :eventId, :status, 0, :now, :now) ON CONFLICT (webhook_id, event_id) DO NOTHING`,
            { webhookId: w.id, eventId: e.rowId, status: WebhookDeliveryStatus.PENDING, now },
          );
        }
        await query(tx, 'UPDATE webhook SET cursor = :last WHERE id = :id AND cursor < :last', { last, id: w.id });
      }
    });
    if (events.length === PLAN_BATCH) this.runAgain = true;
    return webhooks.length;
  }

  private async deliverDue(): Promise<void> {
    const { db } = this;
    const now = toSqlTime(new Date());
    const due = await query<{ id: number }>(
      db,
      `SELECT DISTINCT w.id FROM webhook w JOIN webhook_delivery d ON d.webhook_id = w.id
        WHERE w.active = :yes AND d.status = :pending AND d.next_attempt_at <= :now
          AND (w.lease_until IS NULL OR w.lease_until < :now)`,
      { yes: true, pending: WebhookDeliveryStatus.PENDING, now },
    );
    const queue = due.map((r) => Number(r.id));
    const workers = Array.from({ length: Math.min(PARALLEL_WEBHOOKS, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined && !this.stopped; id = queue.shift()) {
        if (await this.lease(id)) {
          try {
            await this.deliverFor(id);
          } finally {
            await writeTransaction(db, (tx) =>
              query(tx, 'UPDATE webhook SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner', {
                id,
                owner: this.owner,
              }),
            );
          }
        }
      }
    });
    await Promise.all(workers);
  }

  /** Takes (or renews) this instance's lease on a webhook; false when another instance holds it. */
  private async lease(id: number): Promise<boolean> {
    const now = new Date();
    const until = new Date(now.getTime() + this.settings.timeoutMs + 2000);
    const taken = await writeTransaction(this.db, (tx) =>
      execute(
        tx,
        `UPDATE webhook SET lease_owner = :owner, lease_until = :until
            WHERE id = :id AND active = :yes AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner)`,
        { owner: this.owner, until: toSqlTime(until), id, yes: true, now: toSqlTime(now) },
      ),
    );
    return taken === 1;
  }

  private async deliverFor(webhookId: number): Promise<void> {
    const { db } = this;
    while (!this.stopped) {
      const [head] = await query(
        db,
        `SELECT d.id, d.event_id, d.next_attempt_at, d.first_attempt_at, w.url, w.secret,
                e.type, e.article_id, e.original_id, e.language, e.section, e.cache_keys, e.created_at AS occurred_at
           FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id JOIN event e ON e.id = d.event_id
          WHERE d.webhook_id = :webhookId AND d.status = :pending AND w.active = :yes
          ORDER BY d.event_id LIMIT 1`,
        { webhookId, pending: WebhookDeliveryStatus.PENDING, yes: true },
      );
      if (!head || (fromSqlTime(head.next_attempt_at) as Date) > new Date()) return;
      if (!(await this.lease(webhookId))) return;
      const body = JSON.stringify(await this.payload(head));
      const timestamp = Math.floor(Date.now() / 1000);
      const result = await postJson(
        String(head.url),
        body,
        {
          'user-agent': 'content-gateway-webhooks/1',
          'x-gateway-event-id': String(head.event_id),
          'x-gateway-event-type': String(head.type),
          'x-gateway-timestamp': String(timestamp),
          'x-gateway-signature': signWebhook(String(head.secret), timestamp, body),
        },
        this.settings.timeoutMs,
        this.settings.allowPrivateUrls,
      );
      const delivered = await this.record(webhookId, head, result);
      if (!delivered) return;
    }
  }

  /**
   * The POST body: the event and the article's essential fields as they are now. An article that
   * is not public (unpublished since, perhaps edited as a draft) is only its id and status, as
   * subscriptions and `events` show it: a retry or a redelivery must not carry draft content.
   */
  private async payload(head: Row): Promise<Record<string, unknown>> {
    const [article] = await query(
      this.db,
      'SELECT id, slug, title, language, section, status, published_at, translation_of_id FROM article WHERE id = :id',
      { id: head.article_id },
    );
    return {
      id: Number(head.event_id),
      type: head.type as EventType,
      occurredAt: (fromSqlTime(head.occurred_at) as Date).toISOString(),
      language: head.language,
      section: head.section ?? null,
      article: article && articleFields(article),
      cacheKeys: String(
        head.cache_keys ?? cacheKeysOf({ type: head.type as EventType, articleId: Number(head.article_id), originalId: head.original_id == null ? null : Number(head.original_id) }),
      ).split(' '),
    };
  }

  /**
   * Records an attempt; returns whether to go on with the next delivery (it was acknowledged, or
   * an editor asked for this one again while it was in flight). Each write is conditional on the
   * row still being the one the attempt was sent for: a redelivery requested meanwhile re-queues it
   * (a new next_attempt_at), and this result must not mark that request done.
   */
  private async record(webhookId: number, head: Row, result: SendResult): Promise<boolean> {
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const now = new Date();
    const firstAttempt = fromSqlTime(head.first_attempt_at) ?? now;
    const sentFor = { pending: WebhookDeliveryStatus.PENDING, queuedAt: toSqlTime(fromSqlTime(head.next_attempt_at) as Date) };
    const unchanged = 'id = :id AND status = :pending AND next_attempt_at = :queuedAt';
    const superseded = await writeTransaction(this.db, async (tx) => {
      const [{ attempts }] = await query<{ attempts: number }>(tx, 'SELECT attempts FROM webhook_delivery WHERE id = :id', {
        id: head.id,
      });
      const attempt = Number(attempts) + 1;
      const common = {
        id: head.id,
        attempts: attempt,
        code: result.status ?? null,
        error: ok ? null : (result.error ?? `HTTP ${result.status}`),
        first: toSqlTime(firstAttempt),
        now: toSqlTime(now),
      };
      if (ok) {
        const updated = await execute(
          tx,
          `UPDATE webhook_delivery SET status = :status, attempts = :attempts, last_status_code = :code, last_error = NULL,
                  first_attempt_at = :first, delivered_at = :now WHERE ${unchanged}`,
          { ...common, ...sentFor, status: WebhookDeliveryStatus.DELIVERED },
        );
        await query(tx, 'UPDATE webhook SET consecutive_failures = 0 WHERE id = :webhookId', { webhookId });
        return updated === 0;
      }
      const givenUp = now.getTime() - firstAttempt.getTime() >= this.settings.retryForMs;
      const updated = await execute(
        tx,
        `UPDATE webhook_delivery SET status = :status, attempts = :attempts, last_status_code = :code, last_error = :error,
                first_attempt_at = :first, next_attempt_at = :next WHERE ${unchanged}`,
        {
          ...common,
          ...sentFor,
          status: givenUp ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
          next: toSqlTime(new Date(now.getTime() + retryDelay(attempt, this.settings.retryBaseMs))),
        },
      );
      if (updated === 0) return true;
      await query(tx, 'UPDATE webhook SET consecutive_failures = consecutive_failures + 1 WHERE id = :webhookId', { webhookId });
      const reason = `disabled after ${this.settings.disableAfterFailures} failed attempts in a row; the last, at ${now.toISOString()}, got ${common.error}`;
      await query(
        tx,
        'UPDATE webhook SET active = :no, disabled_reason = :reason WHERE id = :webhookId AND consecutive_failures >= :limit',
        { no: false, reason, webhookId, limit: this.settings.disableAfterFailures },
      );
      return false;
    });
    if (superseded) return true;
    if (!ok)
      this.log.info(
        { webhookId, eventId: head.event_id, status: result.status, error: result.error },
        'webhook delivery failed; it will be retried',
      );
    return ok;
  }
}
