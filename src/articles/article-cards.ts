import type { Article } from '../../entities/article.entity';
import type { Image } from '../../entities/image.entity';
import type { License } from '../../entities/license.entity';
import type { Publication } from '../../entities/publication.entity';
import type { Row } from '../db/sql';
import { articleRows, articleWithBodyRows } from './article-rows';
import { imageRows, licenseRows, publicationRows } from '../catalog/catalog-rows';
import type { KeptLoader } from '../graphql/batch';
import type { CacheTags } from '../cache/cache-tags';

export interface CardLoaders {
  tags: CacheTags;
  publicationById: KeptLoader<number, Publication | null>;
  licenseById: KeptLoader<number, License | null>;
  imageById: KeptLoader<number, Image | null>;
}

/**
 * Every article query also fetches what an article card always shows (its publication, license,
 * hero image and the image's license) by joining them into the same statement, and primes their
 * loaders, so resolving those fields runs no SQL of its own.
 */
const selects = new Map<string, string>();

export function cardColumns(a: string, withBody = false): string {
  const key = `${a}|${withBody}`;
  let text = selects.get(key);
  if (text === undefined) {
    text = [
      (withBody ? articleWithBodyRows : articleRows).select(a),
      publicationRows.select(`${a}_p`, `${a}_p_`),
      licenseRows.select(`${a}_l`, `${a}_l_`),
      imageRows.select(`${a}_i`, `${a}_i_`),
      licenseRows.select(`${a}_il`, `${a}_il_`),
    ].join(', ');
    selects.set(key, text);
  }
  return text;
}

export function cardJoins(a: string): string {
  return `LEFT JOIN publication ${a}_p ON ${a}_p.id = ${a}.publication_id
          LEFT JOIN license ${a}_l ON ${a}_l.id = ${a}.license_id
          LEFT JOIN image ${a}_i ON ${a}_i.id = ${a}.hero_image_id
          LEFT JOIN license ${a}_il ON ${a}_il.id = ${a}_i.license_id`;
}

export function readCard(row: Row, a: string, loaders: CardLoaders, withBody = false): Article {
  const article = (withBody ? articleWithBodyRows : articleRows).read(row);
  // A page's cards share a few licenses and publications: each is built once.
  const p = `${a}_p_`;
  const l = `${a}_l_`;
  const i = `${a}_i_`;
  const il = `${a}_il_`;
  loaders.tags.add('article', article.rowId);
  if (row[`${p}id`] != null) loaders.tags.add('publication', Number(row[`${p}id`]));
  if (row[`${l}id`] != null) loaders.tags.add('license', Number(row[`${l}id`]));
  if (row[`${i}id`] != null) loaders.tags.add('image', Number(row[`${i}id`]));
  if (row[`${il}id`] != null) loaders.tags.add('license', Number(row[`${il}id`]));
  if (row[`${p}id`] != null) loaders.publicationById.primeWith(Number(row[`${p}id`]), () => publicationRows.read(row, p));
  if (row[`${l}id`] != null) loaders.licenseById.primeWith(Number(row[`${l}id`]), () => licenseRows.read(row, l));
  if (row[`${i}id`] != null) loaders.imageById.primeWith(Number(row[`${i}id`]), () => imageRows.read(row, i));
  if (row[`${il}id`] != null) loaders.licenseById.primeWith(Number(row[`${il}id`]), () => licenseRows.read(row, il));
  return article;
}
