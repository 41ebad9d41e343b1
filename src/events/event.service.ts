import type { DataSource } from 'typeorm';
import { ApiKeyRole, EventType } from '../../entities/enums';
import type { Article } from '../../entities/article.entity';
import type { ContentEvent } from '../../entities/event.entity';
import { requireRole } from '../auth/auth-checker';
import type { Caller } from '../auth/caller';
import type { Loaders } from '../graphql/loaders';
import { decodeEventCursor, encodeEventCursor } from './event-cursor';
import type { EventFeed, EventStream } from './event-feed';
import { readEventsAfter } from './event-log';
import { expectGlobalId } from '../graphql/global-id';
import { canonicalLanguage, translationTarget } from '../translations/language';
import { pageSize } from '../graphql/pagination';

const PUBLIC_TYPES = [EventType.ARTICLE_PUBLISHED, EventType.ARTICLE_UNPUBLISHED, EventType.ARTICLE_UPDATED, EventType.TRANSLATION_PUBLISHED];
const ALL_TYPES = Object.values(EventType);

type ArticleEventFilter = { section?: string | null; language?: string | null } | null | undefined;

export interface EventPage {
  edges: Array<{ cursor: string; node: ContentEvent }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * An event on its way to a subscriber, with the articles its check found public: the payload is
 * built from these (see the subscription resolvers), so an article unpublished between the check
 * and the payload cannot turn into a null where the schema promises one.
 */
export interface CheckedEvent {
  sequence: number;
  event: ContentEvent;
  articles: Article[];
}

/**
 * Reading the event log: by polling (`events`) or as a stream (subscriptions). A stream yields an
 * event only once its article can be shown to the subscriber (a publish that was undone before the
 * subscriber got to it is skipped), checked once per event for all its subscribers, through a
 * fresh set of loaders.
 */
export class EventService {
  constructor(
    private readonly db: DataSource,
    private readonly feed: EventFeed,
    private readonly caller: Caller,
    private readonly renewLoaders: () => Loaders,
    /** Where the subscriber connects from: its replays share that address's turns. */
    private readonly clientAddress: string,
  ) {}

  async page(after: string | null | undefined, first: number | null | undefined): Promise<EventPage> {
    const size = pageSize(first);
    const position = after == null ? 0 : decodeEventCursor(after);
    const types = this.isEditor() ? ALL_TYPES : PUBLIC_TYPES;
    const events = await readEventsAfter(this.db, position, size + 1, { types });
    const edges = events.slice(0, size).map((node) => ({ cursor: node.cursor, node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: events.length > size,
        hasPreviousPage: position > 0,
        startCursor: edges[0]?.cursor ?? null,
        // An empty page still says where to poll from next.
        endCursor: edges[edges.length - 1]?.cursor ?? (after == null ? null : encodeEventCursor(position)),
      },
    };
  }

  /** Articles (and translations) becoming public, optionally in one section and language. */
  articlePublished(filter: ArticleEventFilter, after: string | null | undefined) {
    return this.articleStream([EventType.ARTICLE_PUBLISHED, EventType.TRANSLATION_PUBLISHED], filter, after);
  }

  /** Edits of public articles (and translations), optionally in one section and language. */
  articleUpdated(filter: ArticleEventFilter, after: string | null | undefined) {
    return this.articleStream([EventType.ARTICLE_UPDATED], filter, after);
  }

  private articleStream(types: EventType[], filter: ArticleEventFilter, after: string | null | undefined) {
    const language = filter?.language == null ? null : translationTarget(canonicalLanguage(filter.language, 'filter.language'));
    const section = filter?.section ?? null;
    return this.stream(
      after,
      (e) =>
        types.includes(e.type) &&
        (section === null || e.section === section) &&
        (language === null || translationTarget(e.language) === language),
      (e) => [e.articleId],
    );
  }

  /** New translations of one original, optionally into one language. */
  translationPublished(originalId: string, languageTag: string | null | undefined, after: string | null | undefined) {
    const original = expectGlobalId(originalId, 'Article', 'articleId');
    const language = languageTag == null ? null : translationTarget(languageTag);
    return this.stream(
      after,
      (e) => e.type === EventType.TRANSLATION_PUBLISHED && e.originalId === original && (language === null || translationTarget(e.language) === language),
      (e) => [e.articleId, original],
    );
  }

  /** Readers asking for translations (editors only), of one article or of any. */
  translationRequested(articleId: string | null | undefined, after: string | null | undefined) {
    requireRole(this.caller, [ApiKeyRole.EDITOR]);
    const article = articleId == null ? null : expectGlobalId(articleId, 'Article', 'articleId');
    return this.stream(
      after,
      (e) => e.type === EventType.TRANSLATION_REQUESTED && (article === null || e.articleId === article),
      (e) => [e.articleId],
    );
  }

  private isEditor(): boolean {
    return this.caller.kind === 'key' && this.caller.role === ApiKeyRole.EDITOR;
  }

  private async stream(
    after: string | null | undefined,
    matches: (event: ContentEvent) => boolean,
    mustBePublic: (event: ContentEvent) => number[],
  ): Promise<AsyncIterableIterator<CheckedEvent>> {
    const position = after == null ? undefined : decodeEventCursor(after);
    const source = await this.feed.open(position, this.clientAddress);
    return new CheckedStream(source, async (event) => {
      if (!matches(event)) return null;
      const ids = mustBePublic(event);
      // The same for every subscriber: whether an article is public does not depend on who asks.
      const articles = await this.feed.shared.once(`public ${event.rowId} ${ids.join(',')}`, async () => {
        const loaders = this.renewLoaders();
        const found = await Promise.all(ids.map((id) => loaders.articleById.load(id)));
        return found.every((a) => a !== null) ? (found as Article[]) : null;
      });
      return articles === null ? null : { sequence: event.rowId, event, articles };
    });
  }
}

/** The events of a stream that pass an asynchronous check; ending it ends the stream at once. */
class CheckedStream implements AsyncIterableIterator<CheckedEvent> {
  constructor(
    private readonly source: EventStream,
    private readonly check: (event: ContentEvent) => Promise<CheckedEvent | null>,
  ) {}

  async next(): Promise<IteratorResult<CheckedEvent>> {
    for (;;) {
      const result = await this.source.next();
      if (result.done === true) return { value: undefined, done: true };
      let checked: CheckedEvent | null;
      try {
        checked = await this.check(result.value);
      } catch (err) {
        // A consumer whose next() fails takes the stream for ended and never returns it.
        await this.source.return();
        throw err;
      }
      if (checked !== null) return { value: checked, done: false };
    }
  }

  async return(): Promise<IteratorResult<CheckedEvent>> {
    await this.source.return();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
