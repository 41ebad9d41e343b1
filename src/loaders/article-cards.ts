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
  keptText,
  prefixedKeys,
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
export const cardColumns = keptText((a: string, withBody: boolean = false) =>
  [
    articleColumns(a, '', withBody),
    columns(PUBLICATION_COLUMNS, `${a}_p`, `${a}_p_`),
    columns(LICENSE_COLUMNS, `${a}_l`, `${a}_l_`),
    columns(IMAGE_COLUMNS, `${a}_i`, `${a}_i_`),
    columns(LICENSE_COLUMNS, `${a}_il`, `${a}_il_`),
  ].join(', '),
);

export const cardJoins = keptText(
  (a: string) => `LEFT JOIN publication ${a}_p ON ${a}_p.id = ${a}.publication_id
          LEFT JOIN license ${a}_l ON ${a}_l.id = ${a}.license_id
          LEFT JOIN image ${a}_i ON ${a}_i.id = ${a}.hero_image_id
          LEFT JOIN license ${a}_il ON ${a}_il.id = ${a}_i.license_id`,
);

/** The joined tables' column prefixes and id columns, for an article alias `a`: `${a}_p_`, `${a}_p_id`... */
const cardKeys = prefixedKeys(['_p_', '_l_', '_i_', '_il_', '_p_id', '_l_id', '_i_id', '_il_id']);

export function readCard(row: Row, a: string, loaders: CardLoaders): Article {
  const article = toArticle(row);
  const k = cardKeys(a);
  // A page's cards share a few licenses and publications: each is built once.
  if (row[k._p_id] != null) loaders.publicationById.primeWith(Number(row[k._p_id]), () => toPublication(row, k._p_));
  if (row[k._l_id] != null) loaders.licenseById.primeWith(Number(row[k._l_id]), () => toLicense(row, k._l_));
  if (row[k._i_id] != null) loaders.imageById.primeWith(Number(row[k._i_id]), () => toImage(row, k._i_));
  if (row[k._il_id] != null) loaders.licenseById.primeWith(Number(row[k._il_id]), () => toLicense(row, k._il_));
  return article;
}
