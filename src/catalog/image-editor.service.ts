import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Image } from '../../entities/image.entity';
import { insertOne, query, writeTransaction } from '../db/sql';
import type { EventBus } from '../events/event-bus';
import { appendArticleUpdates } from '../events/event-log';
import { notFoundError } from '../graphql/errors';
import { expectGlobalId } from '../graphql/global-id';
import { imageRows } from './catalog-rows';
import { referenceId } from '../articles/content-references';
import { fieldError, httpUrl, optionalText, parseInput, slug, text } from '../articles/editor-input';

const createSchema = z.object({
  key: slug,
  title: text(500),
  creator: optionalText(300),
  sourceUrl: httpUrl.nullish(),
  licenseKey: z.string().max(100).nullish(),
});
const updateSchema = createSchema.partial();

export type CreateImageFields = z.input<typeof createSchema>;
export type UpdateImageFields = z.input<typeof updateSchema>;

/** Editors' writes to images, which articles then use as hero images (with their credit and license). */
export class ImageEditorService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventBus,
  ) {}

  async create(input: CreateImageFields): Promise<Image> {
    const v = parseInput(createSchema, input);
    return writeTransaction(this.db, async (tx) => {
      await this.assertKeyFree(tx, v.key);
      const rowId = await insertOne(
        tx,
        `INSERT INTO image (key, title, creator, source_url, license_id, synthetic)
         VALUES (:key, :title, :creator, :sourceUrl, :licenseId, :synthetic)`,
        {
          key: v.key,
          title: v.title,
          creator: v.creator ?? null,
          sourceUrl: v.sourceUrl ?? null,
          licenseId: await referenceId(tx, 'license', v.licenseKey ?? null, 'input.licenseKey'),
          synthetic: false,
        },
      );
      return readImage(tx, rowId);
    });
  }

  /** Changes only the fields given. Each published article showing the image is an ARTICLE_UPDATED event in the same transaction. */
  async update(id: string, input: UpdateImageFields): Promise<Image> {
    const rowId = expectGlobalId(id, 'Image', 'id');
    const v = parseInput(updateSchema, input);
    let appended = 0;
    const image = await writeTransaction(this.db, async (tx) => {
      const [existing] = await query(tx, 'SELECT id FROM image WHERE id = :rowId', { rowId });
      if (!existing) throw notFoundError('id: no image has this id.');
      if (v.key !== undefined) await this.assertKeyFree(tx, v.key, rowId);
      const set: Record<string, unknown> = {};
      if (v.key !== undefined) set.key = v.key;
      if (v.title !== undefined) set.title = v.title;
      if (v.creator !== undefined) set.creator = v.creator;
      if (v.sourceUrl !== undefined) set.source_url = v.sourceUrl;
      if (v.licenseKey !== undefined) set.license_id = await referenceId(tx, 'license', v.licenseKey, 'input.licenseKey');
      if (Object.keys(set).length > 0) {
        const assignments = Object.keys(set).map((column) => `${column} = :${column}`);
        await query(tx, `UPDATE image SET ${assignments.join(', ')} WHERE id = :rowId`, { ...set, rowId });
        appended = await appendArticleUpdates(tx, 'a.hero_image_id = :rowId', { rowId }, `image:${rowId}`);
      }
      return readImage(tx, rowId);
    });
    if (appended > 0) this.events.committed();
    return image;
  }

  private async assertKeyFree(tx: EntityManager, key: string, exceptRowId = 0): Promise<void> {
    const [row] = await query(tx, 'SELECT id FROM image WHERE key = :key AND id <> :exceptRowId', { key, exceptRowId });
    if (row) throw fieldError('input.key', `"${key}" is already used by another image`);
  }
}

async function readImage(tx: EntityManager, rowId: number): Promise<Image> {
  const [row] = await query(tx, `SELECT ${imageRows.select('i')} FROM image i WHERE i.id = :rowId`, { rowId });
  return imageRows.read(row);
}
