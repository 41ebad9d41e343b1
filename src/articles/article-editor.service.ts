import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Article } from '../../entities/article.entity';
import { ArticleKind, ArticleStatus, EventType } from '../../entities/enums';
import { insertRows, query, toSqlTime, writeTransaction } from '../db/sql';
import type { EventBus } from '../events/event-bus';
import { appendEvent } from '../events/event-log';
import { expectGlobalId } from '../graphql/global-id';
import { articleWithBodyRows } from './article-rows';
import { articleForUpdate, assertSlugFree, existingIds, imageId, insertArticle, referenceId } from './content-references';
import { fieldError, idList, MAX_AUTHORS, language, optionalText, paragraphs, parseInput, slug, text } from './editor-input';

const articleFields = {
  slug,
  kind: z.enum(ArticleKind),
  title: text(500),
  displayTitle: optionalText(1000),
  language,
  section: optionalText(200),
  summary: optionalText(5000),
  body: paragraphs.nullish(),
  authorIds: idList(MAX_AUTHORS),
  relatedIds: idList(20),
  licenseKey: z.string().max(100).nullish(),
  heroImageId: z.string().max(100).nullish(),
  publicationKey: z.string().max(100).nullish(),
};

const createSchema = z.object({
  ...articleFields,
  kind: articleFields.kind.nullish().transform((kind) => kind ?? ArticleKind.ARTICLE),
  authorIds: articleFields.authorIds.nullish().transform((ids) => ids ?? []),
  relatedIds: articleFields.relatedIds.nullish().transform((ids) => ids ?? []),
});
const updateSchema = z.object(articleFields).partial();

export type CreateArticleFields = z.input<typeof createSchema>;
export type UpdateArticleFields = z.input<typeof updateSchema>;

/**
 * Editors' writes to articles. Every change runs in one transaction; publishing, unpublishing and
 * editing a published article write their event in it too, and subscribers hear of the event only
 * after the commit.
 */
export class ArticleEditorService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
  ) {}

  /** Any article, draft or published: what editors see. */
  async find(id: string): Promise<Article | null> {
    const [row] = await query(this.db, `SELECT ${articleWithBodyRows.select('a')} FROM article a WHERE a.id = :rowId`, {
      rowId: expectGlobalId(id, 'Article', 'id'),
    });
    return row ? articleWithBodyRows.read(row) : null;
  }

  async create(input: CreateArticleFields): Promise<Article> {
    const v = parseInput(createSchema, input);
    return writeTransaction(this.db, async (tx) => {
      await assertSlugFree(tx, 'article', v.slug, 'input.slug');
      const authorIds = await existingIds(tx, 'author', 'Author', v.authorIds, 'input.authorIds');
      const relatedIds = await existingIds(tx, 'article', 'Article', v.relatedIds, 'input.relatedIds');
      const rowId = await insertArticle(tx, {
        slug: v.slug,
        kind: v.kind,
        title: v.title,
        displayTitle: v.displayTitle ?? null,
        publicationId: await referenceId(tx, 'publication', v.publicationKey ?? null, 'input.publicationKey'),
        section: v.section ?? null,
        summary: v.summary ?? null,
        body: v.body ?? null,
        language: v.language,
        status: ArticleStatus.DRAFT,
        heroImageId: await imageId(tx, v.heroImageId ?? null, 'input.heroImageId'),
        licenseId: await referenceId(tx, 'license', v.licenseKey ?? null, 'input.licenseKey'),
        translationOfId: null,
      });
      await setAuthors(tx, rowId, authorIds);
      await setRelated(tx, rowId, relatedIds);
      return articleForUpdate(tx, rowId, 'id');
    });
  }

  /**
   * Changes only the fields given; a null clears an optional field. Published articles stay
   * published, and their edit is an ARTICLE_UPDATED event in the same transaction; a draft's edit
   * is nobody else's business and records none.
   */
  async update(id: string, input: UpdateArticleFields): Promise<Article> {
    const rowId = expectGlobalId(id, 'Article', 'id');
    const v = parseInput(updateSchema, input);
    const { article, appended } = await writeTransaction(this.db, async (tx) => {
      const current = await articleForUpdate(tx, rowId, 'id');
      if (Object.values(v).every((value) => value === undefined)) return { article: current, appended: false };
      const set: Record<string, unknown> = {};
      if (v.slug !== undefined) {
        await assertSlugFree(tx, 'article', v.slug, 'input.slug', rowId);
        set.slug = v.slug;
      }
      if (v.kind !== undefined) set.kind = v.kind;
      if (v.title !== undefined) set.title = v.title;
      if (v.displayTitle !== undefined) set.display_title = v.displayTitle;
      if (v.language !== undefined) set.language = v.language;
      if (v.section !== undefined) set.section = v.section;
      if (v.summary !== undefined) set.summary = v.summary;
      if (v.body !== undefined) set.body = v.body === null ? null : JSON.stringify(v.body);
      if (v.licenseKey !== undefined) set.license_id = await referenceId(tx, 'license', v.licenseKey, 'input.licenseKey');
      if (v.publicationKey !== undefined) {
        set.publication_id = await referenceId(tx, 'publication', v.publicationKey, 'input.publicationKey');
      }
      if (v.heroImageId !== undefined) set.hero_image_id = await imageId(tx, v.heroImageId, 'input.heroImageId');
      if (v.authorIds !== undefined) {
        await setAuthors(tx, rowId, await existingIds(tx, 'author', 'Author', v.authorIds, 'input.authorIds'));
      }
      if (v.relatedIds !== undefined) {
        const relatedIds = await existingIds(tx, 'article', 'Article', v.relatedIds, 'input.relatedIds');
        if (relatedIds.includes(rowId)) throw fieldError('input.relatedIds', 'must not list the article itself');
        await setRelated(tx, rowId, relatedIds);
      }
      set.updated_at = toSqlTime(new Date());
      const assignments = Object.keys(set).map((column) => `${column} = :${column}`);
      await query(tx, `UPDATE article SET ${assignments.join(', ')} WHERE id = :rowId`, { ...set, rowId });
      const updated = await articleForUpdate(tx, rowId, 'id');
      if (current.status !== ArticleStatus.PUBLISHED) return { article: updated, appended: false };
      await appendEvent(tx, {
        type: EventType.ARTICLE_UPDATED,
        articleId: rowId,
        originalId: updated.translationOfId,
        language: updated.language,
        section: updated.section,
      });
      return { article: updated, appended: true };
    });
    if (appended) this.events.committed();
    return article;
  }

  /** Makes an article public. Publishing a published article changes nothing and records no event. */
  publish(id: string): Promise<Article> {
    return this.moveTo(id, ArticleStatus.PUBLISHED);
  }

  /** Takes an article out of every public view. Unpublishing a draft changes nothing. */
  unpublish(id: string): Promise<Article> {
    return this.moveTo(id, ArticleStatus.DRAFT);
  }

  /** Changes an article's status and records the event in the same transaction; subscribers hear of it after the commit. */
  private async moveTo(id: string, status: ArticleStatus): Promise<Article> {
    const rowId = expectGlobalId(id, 'Article', 'id');
    const publishing = status === ArticleStatus.PUBLISHED;
    const { article, appended } = await writeTransaction(this.db, async (tx) => {
      const current = await articleForUpdate(tx, rowId, 'id');
      if (current.status === status) return { article: current, appended: false };
      await query(
        tx,
        `UPDATE article SET status = :status, ${publishing ? 'published_at = COALESCE(published_at, :now), ' : ''}updated_at = :now
          WHERE id = :rowId`,
        { status, now: toSqlTime(new Date()), rowId },
      );
      const published = current.translationOfId == null ? EventType.ARTICLE_PUBLISHED : EventType.TRANSLATION_PUBLISHED;
      await appendEvent(tx, {
        type: publishing ? published : EventType.ARTICLE_UNPUBLISHED,
        articleId: rowId,
        originalId: current.translationOfId,
        language: current.language,
        section: current.section,
      });
      return { article: await articleForUpdate(tx, rowId, 'id'), appended: true };
    });
    if (appended) this.events.committed();
    return article;
  }
}

/** Replaces an article's authors, in the order given. */
export async function setAuthors(tx: EntityManager, articleId: number, authorIds: number[]): Promise<void> {
  await query(tx, 'DELETE FROM article_author WHERE article_id = :articleId', { articleId });
  if (authorIds.length > 0) {
    await insertRows(tx, 'article_author', ['article_id', 'author_id', 'position'], authorIds.map((a, i) => [articleId, a, i]));
  }
}

async function setRelated(tx: EntityManager, articleId: number, relatedIds: number[]): Promise<void> {
  await query(tx, 'DELETE FROM article_related WHERE article_id = :articleId', { articleId });
  if (relatedIds.length > 0) {
    await insertRows(tx, 'article_related', ['article_id', 'related_id', 'position'], relatedIds.map((r, i) => [articleId, r, i]));
  }
}
