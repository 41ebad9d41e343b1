import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Author } from '../../entities/author.entity';
import { insertOne, query, writeTransaction } from '../db/sql';
import type { EventBus } from '../events/event-bus';
import { appendArticleUpdates } from '../events/event-log';
import { notFoundError } from '../graphql/errors';
import { expectGlobalId } from '../graphql/global-id';
import { authorRows } from './author-rows';
import { assertSlugFree } from '../articles/content-references';
import { optionalText, parseInput, slug, text } from '../articles/editor-input';

const createSchema = z.object({ slug, name: text(300), bio: optionalText(5000), affiliation: optionalText(300) });
const updateSchema = createSchema.partial();

export type CreateAuthorFields = z.input<typeof createSchema>;
export type UpdateAuthorFields = z.input<typeof updateSchema>;

/** Editors' writes to authors: one statement each, checked before it runs. */
export class AuthorEditorService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
  ) {}

  async create(input: CreateAuthorFields): Promise<Author> {
    const v = parseInput(createSchema, input);
    return writeTransaction(this.db, async (tx) => {
      await assertSlugFree(tx, 'author', v.slug, 'input.slug');
      const rowId = await insertOne(
        tx,
        'INSERT INTO author (slug, name, bio, affiliation, synthetic) VALUES (:slug, :name, :bio, :affiliation, :synthetic)',
        { slug: v.slug, name: v.name, bio: v.bio ?? null, affiliation: v.affiliation ?? null, synthetic: false },
      );
      return readAuthor(tx, rowId);
    });
  }

  /**
   * Changes only the fields given; a null clears bio or affiliation. Each published article that
   * credits the author is an ARTICLE_UPDATED event in the same transaction: its byline changed.
   */
  async update(id: string, input: UpdateAuthorFields): Promise<Author> {
    const rowId = expectGlobalId(id, 'Author', 'id');
    const v = parseInput(updateSchema, input);
    let appended = 0;
    const author = await writeTransaction(this.db, async (tx) => {
      const [existing] = await query(tx, 'SELECT id FROM author WHERE id = :rowId', { rowId });
      if (!existing) throw notFoundError('id: no author has this id.');
      if (v.slug !== undefined) await assertSlugFree(tx, 'author', v.slug, 'input.slug', rowId);
      const set = Object.entries({ slug: v.slug, name: v.name, bio: v.bio, affiliation: v.affiliation }).filter(
        ([, value]) => value !== undefined,
      );
      if (set.length > 0) {
        await query(tx, `UPDATE author SET ${set.map(([column]) => `${column} = :${column}`).join(', ')} WHERE id = :rowId`, {
          ...Object.fromEntries(set),
          rowId,
        });
        appended = await appendArticleUpdates(tx, 'a.id IN (SELECT article_id FROM article_author WHERE author_id = :rowId)', { rowId }, `author:${rowId}`);
      }
      return readAuthor(tx, rowId);
    });
    if (appended > 0) this.events.committed();
    return author;
  }
}

async function readAuthor(tx: EntityManager, rowId: number): Promise<Author> {
  const [row] = await query(tx, `SELECT ${authorRows.select('au')} FROM author au WHERE au.id = :rowId`, { rowId });
  return authorRows.read(row);
}
