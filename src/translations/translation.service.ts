import type { DataSource } from 'typeorm';
import type { Article } from '../../entities/article.entity';
import { EventType, TranslationRequestStatus, TranslationState } from '../../entities/enums';
import type { TranslationRequest } from '../../entities/translation-request.entity';
import { execute, query, toSqlTime, writeTransaction } from '../db/sql';
import { notFoundError, userInputError } from '../graphql/errors';
import { expectGlobalId } from '../graphql/global-id';
import { readsAsOriginal, translationTarget } from './language';
import type { Loaders } from '../graphql/loaders';
import { translationRequestRows } from './translation-request-rows';
import type { EventBus } from '../events/event-bus';
import { appendEvent } from '../events/event-log';
import type { RateLimits } from './rate-limits';
import { hashReaderId } from './reader-identity';

export interface TranslationStatusResult {
  language: string;
  state: TranslationState;
  requestCount: number;
  /** The published version to read instead, loaded only when a client asks for it. */
  translationId: number | null;
}

const STATE_OF_REQUEST: Record<TranslationRequestStatus, TranslationState> = {
  [TranslationRequestStatus.REQUESTED]: TranslationState.REQUESTED,
  [TranslationRequestStatus.ACCEPTED]: TranslationState.IN_PROGRESS,
  [TranslationRequestStatus.IN_PROGRESS]: TranslationState.IN_PROGRESS,
  [TranslationRequestStatus.PUBLISHED]: TranslationState.NOT_TRANSLATED,
  [TranslationRequestStatus.DECLINED]: TranslationState.NOT_TRANSLATED,
};

export class TranslationService {
  constructor(
    private readonly db: DataSource,
    private readonly loaders: Loaders,
    private readonly readerSecret: string,
    private readonly rateLimits: RateLimits,
    private readonly events: EventBus,
  ) {}

  /** Derived on every read from translations and requests; nothing about it is stored. */
  async status(article: Article, language: string): Promise<TranslationStatusResult> {
    const target = translationTarget(language);
    if (readsAsOriginal(article.language, target)) {
      return { language: target, state: TranslationState.ORIGINAL, requestCount: 0, translationId: null };
    }
    const { original, translationId, request } = await this.loaders.translationFacts.load({ articleId: article.rowId, language: target });
    if (original && readsAsOriginal(original.language, target)) {
      return { language: target, state: TranslationState.AVAILABLE, requestCount: 0, translationId: original.id };
    }
    const requestCount = request?.requestCount ?? 0;
    if (translationId != null) return { language: target, state: TranslationState.AVAILABLE, requestCount, translationId };
    const state = request ? STATE_OF_REQUEST[request.status] : TranslationState.NOT_TRANSLATED;
    return { language: target, state, requestCount, translationId: null };
  }

  /** A request as readers see it: AVAILABLE once a translation is published, else what its status shows them. */
  async publicState(request: TranslationRequest): Promise<TranslationState> {
    const { translationId } = await this.loaders.translationFacts.load({ articleId: request.articleId, language: request.language });
    return translationId != null ? TranslationState.AVAILABLE : STATE_OF_REQUEST[request.status];
  }

  /**
   * Counts one reader's wish for a translation. The request row, the reader's vote, the count and
   * the TRANSLATION_REQUESTED event change together in one transaction; the same reader asking
   * again changes nothing.
   */
  async request(
    input: { articleId: string; language: string },
    readerId: string | undefined,
    clientAddress: string,
  ): Promise<{ request: TranslationRequest; alreadyRequested: boolean }> {
    const readerHash = hashReaderId(this.readerSecret, readerId);
    const articleRowId = expectGlobalId(input.articleId, 'Article', 'articleId');
    const language = translationTarget(input.language);
    const article = await this.loaders.articleById.load(articleRowId);
    if (!article) throw notFoundError(`No published article has the id ${input.articleId}.`);
    if (article.translationOfId != null) {
      throw userInputError('articleId is a translation; request translations of the original article.', 'articleId');
    }
    if (readsAsOriginal(article.language, language)) {
      throw userInputError(`The article is already written in "${article.language}"; ask for another language.`, 'language');
    }
    await this.rateLimits.consumeTranslationRequest(readerHash, clientAddress);
    const result = await writeTransaction(this.db, async (tx) => {
      const now = toSqlTime(new Date());
      await query(
        tx,
        `INSERT INTO translation_request (article_id, language, status, request_count, created_at, updated_at)
         VALUES (:articleId, :language, :status, 0, :now, :now)
         ON CONFLICT (article_id, language) DO NOTHING`,
        { articleId: article.rowId, language, status: TranslationRequestStatus.REQUESTED, now },
      );
      const [{ id: requestId }] = await query<{ id: number }>(
        tx,
        'SELECT id FROM translation_request WHERE article_id = :articleId AND language = :language',
        { articleId: article.rowId, language },
      );
      const counted = await execute(
        tx,
        `INSERT INTO translation_request_reader (request_id, reader_hash, created_at) VALUES (:requestId, :readerHash, :now)
         ON CONFLICT (request_id, reader_hash) DO NOTHING`,
        { requestId, readerHash, now },
      );
      if (counted > 0) {
        await query(tx, 'UPDATE translation_request SET request_count = request_count + 1, updated_at = :now WHERE id = :requestId', {
          requestId,
          now,
        });
        await appendEvent(tx, {
          type: EventType.TRANSLATION_REQUESTED,
          articleId: article.rowId,
          requestId,
          language,
          section: article.section,
        });
      }
      const [row] = await query(tx, `SELECT ${translationRequestRows.select('q')} FROM translation_request q WHERE q.id = :requestId`, { requestId });
      return { request: translationRequestRows.read(row), alreadyRequested: counted === 0 };
    }, { decidedByAtomicStatements: true });
    if (!result.alreadyRequested) this.events.committed();
    return result;
  }
}
