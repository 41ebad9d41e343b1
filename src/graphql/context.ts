import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { lookUpKey, readAuthorization } from '../auth/api-keys';
import type { Caller } from '../auth/caller';
import type { EventBus } from '../events/event-bus';
import type { EventFeed } from '../events/event-feed';
import type { Logger } from '../observability/logger';
import { createLoaders, Loaders } from './loaders';
import { ArticleEditorService } from '../articles/article-editor.service';
import { ArticleFeedService } from '../articles/article-feed.service';
import { ArticleSearchService } from '../articles/article-search.service';
import { AuthorEditorService } from '../authors/author-editor.service';
import { AuthorService } from '../authors/author.service';
import { CatalogService } from '../catalog/catalog.service';
import { EventService } from '../events/event.service';
import { ImageEditorService } from '../catalog/image-editor.service';
import type { RateLimits } from '../translations/rate-limits';
import { NodeService } from './node.service';
import { TranslationWorkflowService } from '../translations/translation-workflow.service';
import { TranslationService } from '../translations/translation.service';
import { WebhookService } from '../webhooks/webhook.service';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { SeoService } from '../seo/article-seo';
import { CacheTags } from '../cache/cache-tags';

export interface AppDeps {
  db: DataSource;
  /** Where plain reads of queries and subscriptions go: a read replica, when there are any, else `db`. */
  reads: DataSource;
  log: Logger;
  readerSecret: string;
  rateLimits: RateLimits;
  eventFeed: EventFeed;
  eventBus: EventBus;
  webhookDispatcher: WebhookDispatcher;
  allowPrivateWebhookUrls: boolean;
  siteName: string;
}

/**
 * Who is asking: a WebSocket knows its caller from connection_init; an HTTP request brings its
 * Authorization header, whose key is looked up by `authenticate()`.
 */
export type RequestInfo = { readerId: string | undefined; clientAddress: string; origin: string } & ({ caller: Caller } | { authorization: unknown });

export interface Context extends Services {
  requestId: string;
  /**
   * Until `authenticate()` has looked its key up, a request that came with one counts as a caller
   * whose key is not valid: never anonymous (whose answers may be cached), never an editor.
   */
  readonly caller: Caller;
  readerId: string | undefined;
  clientAddress: string;
  /** Where links to the gateway's pages point: PUBLIC_BASE_URL, or the origin the request came to. */
  origin: string;
  /** The objects this request's answer was built from (see cache-tags.ts). */
  readonly tags: CacheTags;
  log: Logger;
  /** Looks up the API key the request came with, if it has not been looked up yet; a database failure rejects. */
  authenticate(): Promise<void>;
  /** Replaces the loaders (and the services using them): each subscription event starts from a clean cache. */
  renew(): Loaders;
  /** From now on every read goes to the primary: a mutation answers with what it wrote, not a lagging replica. */
  readFromPrimary(): void;
}

interface Services {
  loaders: Loaders;
  feed: ArticleFeedService;
  search: ArticleSearchService;
  authors: AuthorService;
  catalog: CatalogService;
  nodes: NodeService;
  translations: TranslationService;
  events: EventService;
  articleEditor: ArticleEditorService;
  authorEditor: AuthorEditorService;
  imageEditor: ImageEditorService;
  translationWorkflow: TranslationWorkflowService;
  webhooks: WebhookService;
  seo: SeoService;
}

/**
 * Built once per HTTP request or WebSocket operation: the caller's identity, and services and
 * loaders made on first use (most requests touch two or three of the fourteen, and making them all
 * was a measurable share of a small request). Everything lives behind `this`: Apollo Server hands
 * resolvers a shallow copy of the context, which shares `made` and `identity` with the original.
 */
class RequestContext implements Context {
  readonly requestId = randomUUID();
  readonly readerId: string | undefined;
  readonly clientAddress: string;
  readonly origin: string;
  readonly tags = new CacheTags();
  private reads: DataSource;
  private made: Partial<Services & { log: Logger }> = {};
  private readonly identity: { caller: Caller; keyToLookUp?: string };

  constructor(
    private readonly deps: AppDeps,
    info: RequestInfo,
  ) {
    const read = 'caller' in info ? info.caller : readAuthorization(info.authorization);
    this.identity = 'lookUp' in read ? { caller: { kind: 'invalid', reason: 'unknown' }, keyToLookUp: read.lookUp } : { caller: read };
    this.readerId = info.readerId;
    this.clientAddress = info.clientAddress;
    this.origin = info.origin;
    this.reads = deps.reads;
  }

  get caller(): Caller {
    return this.identity.caller;
  }

  async authenticate(): Promise<void> {
    const key = this.identity.keyToLookUp;
    if (key === undefined) return;
    this.identity.keyToLookUp = undefined;
    this.identity.caller = await lookUpKey(this.deps.db, key);
  }

  /** Bound, because the event service keeps it to start each subscription event afresh. */
  readonly renew = (): Loaders => {
    this.made = { log: this.made.log };
    return this.loaders;
  };

  readFromPrimary(): void {
    if (this.reads === this.deps.db) return;
    this.reads = this.deps.db;
    this.made = { log: this.made.log };
  }

  get log(): Logger {
    return (this.made.log ??= this.deps.log.child({ requestId: this.requestId }));
  }

  get loaders(): Loaders {
    return (this.made.loaders ??= createLoaders(this.reads, this.tags));
  }

  get seo(): SeoService {
    return (this.made.seo ??= new SeoService(this.loaders, this.origin, this.deps.siteName));
  }

  get feed(): ArticleFeedService {
    return (this.made.feed ??= new ArticleFeedService(this.reads, this.loaders));
  }

  get search(): ArticleSearchService {
    return (this.made.search ??= new ArticleSearchService(this.reads, this.loaders));
  }

  get authors(): AuthorService {
    return (this.made.authors ??= new AuthorService(this.reads, this.loaders));
  }

  get catalog(): CatalogService {
    return (this.made.catalog ??= new CatalogService(this.reads, this.tags));
  }

  get nodes(): NodeService {
    return (this.made.nodes ??= new NodeService(this.loaders));
  }

  get translations(): TranslationService {
    const { db, readerSecret, rateLimits, eventBus } = this.deps;
    return (this.made.translations ??= new TranslationService(db, this.loaders, readerSecret, rateLimits, eventBus));
  }

  get events(): EventService {
    return (this.made.events ??= new EventService(this.deps.db, this.deps.eventFeed, this.caller, this.renew, this.clientAddress));
  }

  get articleEditor(): ArticleEditorService {
    return (this.made.articleEditor ??= new ArticleEditorService(this.deps.db, this.deps.eventBus));
  }

  get authorEditor(): AuthorEditorService {
    return (this.made.authorEditor ??= new AuthorEditorService(this.deps.db, this.deps.eventBus));
  }

  get imageEditor(): ImageEditorService {
    return (this.made.imageEditor ??= new ImageEditorService(this.deps.db, this.deps.eventBus));
  }

  get translationWorkflow(): TranslationWorkflowService {
    return (this.made.translationWorkflow ??= new TranslationWorkflowService(this.deps.db, this.deps.eventBus));
  }

  get webhooks(): WebhookService {
    return (this.made.webhooks ??= new WebhookService(this.deps.db, this.deps.webhookDispatcher, this.deps.allowPrivateWebhookUrls));
  }
}

export function createContext(deps: AppDeps, info: RequestInfo): Context {
  return new RequestContext(deps, info);
}
