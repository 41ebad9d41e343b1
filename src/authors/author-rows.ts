import type { CacheTags } from '../cache/cache-tags';
import { Author } from '../../entities/author.entity';
import { rowMapping } from '../db/row-mapping';

export const authorRows = rowMapping(Author);

/** An author read for an answer, counted among the objects the answer was built from. */
export function tagged(tags: CacheTags, author: Author): Author {
  tags.add('author', author.rowId);
  return author;
}
