import { Article } from '../../entities/article.entity';
import { rowMapping } from '../db/row-mapping';

/**
 * Lists leave the body out, the one large column: the single-article statements select it, and a
 * list asking for it loads it on demand. No answer shows when a row was created, so that is not
 * read (it would be a date parsed per row).
 */
export const articleRows = rowMapping(Article, { leaveOut: ['body', 'createdAt'] });
export const articleWithBodyRows = rowMapping(Article, { leaveOut: ['createdAt'] });
