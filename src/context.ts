import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Caller } from './auth/caller';
import type { EventBus } from './events/event-bus';
import type { EventFeed } from './events/event-feed';
import type { Logger } from './logger';
import { createLoaders, Loaders } from './loaders';
import { ArticleEditorService } from './services/article-editor.service';
import { ArticleFeedService } from './services/article-feed.service';
import { ArticleSearchService } from './services/article-search.service';
import { AuthorEditorService } from './services/author-editor.service';
import { AuthorService } from './services/author.service';
import { CatalogService } from './services/catalog.service';
import { EventService } from './services/event.service';
import { ImageEditorService } from './services/image-editor.service';
import type { RateLimits } from './services/rate-limits';
import { NodeService } from './services/node.service';
import { TranslationWorkflowService } from './services/translation-workflow.service';
import { TranslationService } from './services/translation.service';
import { WebhookService } from './services/webhook.service';
import type { WebhookDispatcher } from './webhooks/dispatcher';

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
}

/** Who is asking, from HTTP headers or a WebSocket's connection_init. */
export interface RequestInfo {
  caller: Caller;
  readerId: string | undefined;
  clientAddress: string;
}

export interface Context extends RequestInfo, Services {
  requestId: string;
  log: Logger;
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
}

function services(deps: AppDeps, caller: Caller, renew: () => Loaders, reads: DataSource): Services {
  const { db } = deps;
  const loaders = createLoaders(reads);
  return {
    loaders,
    feed: new ArticleFeedService(reads, loaders),
    search: new ArticleSearchService(reads, loaders),
    authors: new AuthorService(reads, loaders),
    catalog: new CatalogService(reads),
    nodes: new NodeService(loaders),
    translations: new TranslationService(db, loaders, deps.readerSecret, deps.rateLimits, deps.eventBus),
    events: new EventService(db, deps.eventFeed, caller, renew),
    articleEditor: new ArticleEditorService(db, deps.eventBus),
    authorEditor: new AuthorEditorService(db),
    imageEditor: new ImageEditorService(db),
    translationWorkflow: new TranslationWorkflowService(db, deps.eventBus),
    webhooks: new WebhookService(db, deps.webhookDispatcher, deps.allowPrivateWebhookUrls),
  };
}

/** Built once per HTTP request or WebSocket operation: the caller's identity and a fresh set of loaders. */
export function createContext(deps: AppDeps, info: RequestInfo): Context {
  const requestId = randomUUID();
  let reads = deps.reads;
  const context: Context = {
    ...info,
    requestId,
    log: deps.log.child({ requestId }),
    ...services(deps, info.caller, renew, reads),
    renew,
    // Assigns to `this`: Apollo Server hands resolvers a shallow copy of the context it was given.
    readFromPrimary(this: Context) {
      if (reads === deps.db) return;
      reads = deps.db;
      Object.assign(this, services(deps, info.caller, renew, reads));
    },
  };
  function renew(): Loaders {
    Object.assign(context, services(deps, info.caller, renew, reads));
    return context.loaders;
  }
  return context;
}
