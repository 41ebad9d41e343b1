import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Article } from '../../entities/article.entity';
import { ArticleStatus, EventType, TranslationRequestStatus } from '../../entities/enums';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { query, toSqlTime, writeTransaction } from '../db/sql';
import type { EventBus } from '../events/event-bus';
import { appendEvent } from '../events/event-log';
import { notFoundError } from '../graphql/errors';
import { expectGlobalId } from '../graphql/global-id';
import { readsAsOriginal, translationTarget } from './language';
import { decodeCursor, pageSize } from '../graphql/pagination';
import { translationRequestRows } from './translation-request-rows';
import { setAuthors } from '../articles/article-editor.service';
import { articleForUpdate, assertSlugFree, existingIds, insertArticle } from '../articles/content-references';
import { fieldError, idList, MAX_AUTHORS, language, optionalText, paragraphs, parseInput, slug, text } from '../articles/editor-input';
import { Page, toPage } from '../graphql/connection';

/** The editors' workflow: which status may follow which. PUBLISHED is reached by publishing the translation. */
const NEXT_STATUSES: Record<TranslationRequestStatus, TranslationRequestStatus[]> = {
  [TranslationRequestStatus.REQUESTED]: [TranslationRequestStatus.ACCEPTED, TranslationRequestStatus.DECLINED],
  [TranslationRequestStatus.ACCEPTED]: [TranslationRequestStatus.IN_PROGRESS, TranslationRequestStatus.DECLINED],
  [TranslationRequestStatus.IN_PROGRESS]: [TranslationRequestStatus.DECLINED],
  [TranslationRequestStatus.PUBLISHED]: [],
  [TranslationRequestStatus.DECLINED]: [],
};

const publishSchema = z.object({
  originalId: z.string(),
  language,
  slug,
  title: text(500),
  displayTitle: optionalText(1000),
  summary: optionalText(5000),
  body: paragraphs,
  authorIds: idList(MAX_AUTHORS).nullish(),
});

export type PublishTranslationFields = z.input<typeof publishSchema>;

export class TranslationWorkflowService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
  ) {}

  /** The editors' queue: requests in one status (or all), oldest first. */
  async queue(
    status: TranslationRequestStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<TranslationRequest>> {
    const size = pageSize(first);
    const position = decodeCursor(after, 'translation-request', 'integer');
    const filter = status ? 'AND status = :status' : '';
    const rows = await query(
      this.db,
      `SELECT ${translationRequestRows.select('q')} FROM translation_request q WHERE q.id > :afterId ${filter} ORDER BY q.id LIMIT :limit`,
      { afterId: position?.rowId ?? 0, status, limit: size + 1 },
    );
    return toPage(
      rows.map((r) => translationRequestRows.read(r)),
      size,
      position,
      (request) => ({ kind: 'translation-request', value: request.rowId, rowId: request.rowId }),
      async () => {
        const [row] = await query<{ n: number }>(this.db, `SELECT COUNT(*) AS n FROM translation_request WHERE 1 = 1 ${filter}`, { status });
        return Number(row.n);
      },
    );
  }

  /** Moves a request one step through REQUESTED -> ACCEPTED -> IN_PROGRESS, or to DECLINED. */
  async setStatus(id: string, status: TranslationRequestStatus): Promise<TranslationRequest> {
    const rowId = expectGlobalId(id, 'TranslationRequest', 'id');
    return writeTransaction(this.db, async (tx) => {
      const [row] = await query(tx, 'SELECT * FROM translation_request WHERE id = :rowId', { rowId });
      if (!row) throw notFoundError('id: no translation request has this id.');
      const current = row.status as TranslationRequestStatus;
      if (status === TranslationRequestStatus.PUBLISHED) {
        throw fieldError('status', 'PUBLISHED is reached by publishing the translation with publishTranslation');
      }
      if (!NEXT_STATUSES[current].includes(status)) {
        const allowed = NEXT_STATUSES[current];
        throw fieldError(
          'status',
          `cannot go from ${current} to ${status}; ${allowed.length ? `from ${current} it can go to ${allowed.join(' or ')}` : `${current} is final`}`,
        );
      }
      await query(tx, 'UPDATE translation_request SET status = :status, updated_at = :now WHERE id = :rowId', {
        status,
        now: toSqlTime(new Date()),
        rowId,
      });
      const [updated] = await query(tx, `SELECT ${translationRequestRows.select('q')} FROM translation_request q WHERE q.id = :rowId`, { rowId });
      return translationRequestRows.read(updated);
    });
  }

  /**
   * Publishes a translation of a published original: a new article in the target language, with
   * the original's section, publication, kind, license and hero image, and (unless given) its
   * authors. The open request for that language, which must be IN_PROGRESS, becomes PUBLISHED.
   * Like requests, translations are kept under language and script without region ("ja-JP" is
   * stored as "ja"): that is what readers' translation boxes ask about.
   */
  async publish(input: PublishTranslationFields): Promise<Article> {
    const v = parseInput(publishSchema, input);
    const originalRowId = expectGlobalId(v.originalId, 'Article', 'input.originalId');
    const target = translationTarget(v.language);
    const article = await writeTransaction(this.db, async (tx) => {
      const original = await articleForUpdate(tx, originalRowId, 'input.originalId');
      if (original.status !== ArticleStatus.PUBLISHED) throw fieldError('input.originalId', 'is not a published article');
      if (original.translationOfId != null) {
        throw fieldError('input.originalId', 'is itself a translation; translate the original article');
      }
      if (readsAsOriginal(original.language, v.language)) {
        throw fieldError('input.language', `is the original's own language ("${original.language}")`);
      }
      const existing = await query<{ language: string }>(
        tx,
        "SELECT language FROM article WHERE translation_of_id = :originalRowId AND status = 'PUBLISHED'",
        { originalRowId },
      );
      if (existing.some((t) => translationTarget(t.language) === target)) {
        throw fieldError('input.language', `already has a published translation into "${target}"`);
      }
      const [request] = await query(tx, 'SELECT id, status FROM translation_request WHERE article_id = :originalRowId AND language = :target', {
        originalRowId,
        target,
      });
      if (request && request.status !== TranslationRequestStatus.IN_PROGRESS) {
        throw fieldError('input.language', `has a translation request that is ${String(request.status)}; move it to IN_PROGRESS before publishing`);
      }
      await assertSlugFree(tx, 'article', v.slug, 'input.slug');
      const authorIds = v.authorIds
        ? await existingIds(tx, 'author', 'Author', v.authorIds, 'input.authorIds')
        : (await query<{ author_id: number }>(tx, 'SELECT author_id FROM article_author WHERE article_id = :originalRowId ORDER BY position', { originalRowId })).map(
            (r) => Number(r.author_id),
          );
      const translationRowId = await insertArticle(tx, {
        slug: v.slug,
        kind: original.kind,
        title: v.title,
        displayTitle: v.displayTitle ?? null,
        publicationId: original.publicationId,
        section: original.section,
        summary: v.summary ?? null,
        body: v.body,
        language: target,
        status: ArticleStatus.PUBLISHED,
        heroImageId: original.heroImageId,
        licenseId: original.licenseId,
        translationOfId: originalRowId,
      });
      await setAuthors(tx, translationRowId, authorIds);
      if (request) {
        await query(tx, 'UPDATE translation_request SET status = :status, updated_at = :now WHERE id = :requestId', {
          status: TranslationRequestStatus.PUBLISHED,
          now: toSqlTime(new Date()),
          requestId: request.id,
        });
      }
      await appendEvent(tx, {
        type: EventType.TRANSLATION_PUBLISHED,
        articleId: translationRowId,
        originalId: originalRowId,
        requestId: request ? Number(request.id) : null,
        language: target,
        section: original.section,
      });
      return articleForUpdate(tx, translationRowId, 'id');
    });
    this.events.committed();
    return article;
  }
}
