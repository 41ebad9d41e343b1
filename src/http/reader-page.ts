import express, { Express, Request } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { execute, GraphQLSchema, parse } from 'graphql';
import type { Context } from '../graphql/context';
import type { ExecutionGate } from '../graphql/execution-gate';
import { projectRoot } from '../project-root';
import { canonicalLanguage } from '../translations/language';
import { articlePage, ReaderArticle, TranslationNotice } from './article-html';
import type { PublicOrigin } from './public-origin';
import { tagHeaders } from '../cache/cache-tags';

/** The page's operation, the one the playground shows, read once at start. */
const READER_PAGE = parse(fs.readFileSync(path.join(projectRoot(), 'schema', 'reader-page.graphql'), 'utf8'));
const REQUEST_TRANSLATION = parse(
  'mutation($articleId: ID!, $language: String!) { requestTranslation(input: { articleId: $articleId, language: $language }) { alreadyRequested } }',
);

const NOTICES = new Set(['counted', 'already', 'refused']);
/** The reader's id when the form is sent without scripts (scripts keep theirs in localStorage). */
const READER_COOKIE = /(?:^|;\s*)reader=([A-Za-z0-9-]{1,64})(?:;|$)/;

export interface ReaderPageRoutes {
  schema: GraphQLSchema;
  /** An anonymous reader's context. */
  context: (req: Request, readerId?: string) => Context;
  origin: PublicOrigin;
  siteName: string;
  executions: ExecutionGate;
  /** The same security headers as every page. */
  headers: Record<string, string>;
  feedLinks: string;
}

function usable(tag: string): boolean {
  try {
    canonicalLanguage(tag);
    return true;
  } catch {
    return false;
  }
}

/** The reader's first language from Accept-Language, as the page's script would take navigator.language. */
function readerLanguage(req: Request): string {
  return req.acceptsLanguages().find(usable) ?? 'en';
}

/**
 * `/read/:slug`, drawn on the server from schema/reader-page.graphql: the article, its credit,
 * license, related list and translation box, with its search-engine data in <head>. The box's
 * form works without scripts (`POST /read/:slug/translation-requests`, then back to the page);
 * the page's script only sends it without leaving the page.
 */
export function mountReaderPage(app: Express, routes: ReaderPageRoutes): void {
  app.get('/read/:slug', async (req, res, next) => {
    try {
      const language = readerLanguage(req);
      const context = routes.context(req);
      const result = await routes.executions.run(async () =>
        execute({ schema: routes.schema, document: READER_PAGE, contextValue: context, variableValues: { slug: req.params.slug, language } }),
      );
      if (result.errors) throw result.errors[0];
      const article = (result.data as { article: ReaderArticle | null }).article;
      res.set({ ...routes.headers, 'cache-control': 'public, max-age=10', vary: 'Accept-Language', ...tagHeaders(context.tags.toString()) });
      if (!article) {
        res.status(404).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No such article</title></head><body><main><h1>No such article</h1><p><a href="/">The newest articles</a></p></main></body></html>`);
        return;
      }
      const notice = typeof req.query.translation === 'string' && NOTICES.has(req.query.translation) ? (req.query.translation as TranslationNotice) : null;
      res.type('html').send(articlePage(article, { siteName: routes.siteName, origin: routes.origin(req), readerLanguage: language, notice, feedLinks: routes.feedLinks }));
    } catch (err) {
      next(err);
    }
  });

  app.post('/read/:slug/translation-requests', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res, next) => {
    try {
      const form = (req.body ?? {}) as Record<string, unknown>;
      let readerId = READER_COOKIE.exec(req.headers.cookie ?? '')?.[1];
      if (!readerId) {
        readerId = randomUUID();
        res.cookie('reader', readerId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
      }
      let notice: TranslationNotice = 'refused';
      if (typeof form.articleId === 'string' && typeof form.language === 'string') {
        const result = await routes.executions.run(async () =>
          execute({
            schema: routes.schema,
            document: REQUEST_TRANSLATION,
            contextValue: routes.context(req, readerId),
            variableValues: { articleId: form.articleId, language: form.language },
          }),
        );
        const asked = (result.data as { requestTranslation: { alreadyRequested: boolean } } | null)?.requestTranslation;
        // A refusal the reader can act on (a limit, a bad language) is told on the page; anything else is a failure.
        if (result.errors?.some((err) => typeof err.extensions?.code !== 'string')) throw result.errors[0];
        if (asked) notice = asked.alreadyRequested ? 'already' : 'counted';
      }
      res.redirect(303, `/read/${encodeURIComponent(req.params.slug)}?translation=${notice}`);
    } catch (err) {
      next(err);
    }
  });
}
