import type { Article } from '../../entities/article.entity';
import type { Image } from '../../entities/image.entity';
import type { License } from '../../entities/license.entity';
import type { Publication } from '../../entities/publication.entity';
import type { Row } from '../db';
import {
  IMAGE_COLUMNS,
  LICENSE_COLUMNS,
  PUBLICATION_COLUMNS,
  articleColumns,
  columns,
  toArticle,
  toImage,
  toLicense,
  toPublication,
} from '../rows';
import type { KeptLoader } from './batch';

export interface CardLoaders {
  publicationById: KeptLoader<number, Publication | null>;
  licenseById: KeptLoader<number, License | null>;
  imageById: KeptLoader<number, Image | null>;
}

/**
 * Every article query also fetches what an article card always shows (its publication, license,
 * hero image and the image's license) by joining them into the same statement, and primes their
 * loaders, so resolving those fields runs no SQL of its own.
 */
export function cardColumns(a: string, withBody = false): string {
  return [
    articleColumns(a, '', withBody),
    columns(PUBLICATION_COLUMNS, `${a}_p`, `${a}_p_`),
    columns(LICENSE_COLUMNS, `${a}_l`, `${a}_l_`),
    columns(IMAGE_COLUMNS, `${a}_i`, `${a}_i_`),
    columns(LICENSE_COLUMNS, `${a}_il`, `${a}_il_`),
  ].join(', ');
}

export function cardJoins(a: string): string {
  return `LEFT JOIN publication ${a}_p ON ${a}_p.id = ${a}.publication_id
          LEFT JOIN license ${a}_l ON ${a}_l.id = ${a}.license_id
          LEFT JOIN image ${a}_i ON ${a}_i.id = ${a}.hero_image_id
          LEFT JOIN license ${a}_il ON ${a}_il.id = ${a}_i.license_id`;
}

export function readCard(row: Row, a: string, loaders: CardLoaders): Article {
  const article = toArticle(row);
  // A page's cards share a few licenses and publications: each is built once.
  if (row[`${a}_p_id`] != null) loaders.publicationById.primeWith(Number(row[`${a}_p_id`]), () => toPublication(row, `${a}_p_`));
  if (row[`${a}_l_id`] != null) loaders.licenseById.primeWith(Number(row[`${a}_l_id`]), () => toLicense(row, `${a}_l_`));
  if (row[`${a}_i_id`] != null) loaders.imageById.primeWith(Number(row[`${a}_i_id`]), () => toImage(row, `${a}_i_`));
  if (row[`${a}_il_id`] != null) loaders.licenseById.primeWith(Number(row[`${a}_il_id`]), () => toLicense(row, `${a}_il_`));
  return article;
}
