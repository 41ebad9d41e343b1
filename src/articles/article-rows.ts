import { Article } from '../../entities/article.entity';
import { rowMapping } from '../db/row-mapping';

/**
 * Lists leave the body out, the one large column: the single-article statements select it, and a
 * list asking for it loads it on demand.
 */
export const articleRows = rowMapping(Article, { leaveOut: ['body'] });
export const articleWithBodyRows = rowMapping(Article);
