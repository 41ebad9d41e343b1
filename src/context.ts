import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Logger } from './logger';
import { createLoaders, Loaders } from './loaders';
import { ArticleFeedService } from './services/article-feed.service';
import { ArticleSearchService } from './services/article-search.service';
import { AuthorService } from './services/author.service';
import { CatalogService } from './services/catalog.service';
import type { RateLimits } from './services/rate-limits';
import { NodeService } from './services/node.service';
import { TranslationService } from './services/translation.service';

export interface AppDeps {
  db: DataSource;
  log: Logger;
  readerSecret: string;
  rateLimits: RateLimits;
}

export interface Context {
  requestId: string;
  log: Logger;
  readerId: string | undefined;
  clientAddress: string;
  loaders: Loaders;
  feed: ArticleFeedService;
  search: ArticleSearchService;
  authors: AuthorService;
  catalog: CatalogService;
  nodes: NodeService;
  translations: TranslationService;
}

/** Built once per HTTP request: the caller's identity and a fresh set of loaders. */
export function createContext(deps: AppDeps, headers: IncomingHttpHeaders, clientAddress: string): Context {
  const requestId = randomUUID();
  const loaders = createLoaders(deps.db);
  const readerHeader = headers['x-reader-id'];
  return {
    requestId,
    log: deps.log.child({ requestId }),
    readerId: Array.isArray(readerHeader) ? readerHeader[0] : readerHeader,
    clientAddress,
    loaders,
    feed: new ArticleFeedService(deps.db, loaders),
    search: new ArticleSearchService(deps.db, loaders),
    authors: new AuthorService(deps.db, loaders),
    catalog: new CatalogService(deps.db),
    nodes: new NodeService(loaders),
    translations: new TranslationService(deps.db, loaders, deps.readerSecret, deps.rateLimits),
  };
}
