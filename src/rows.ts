import { Article } from '../entities/article.entity';
import { Author } from '../entities/author.entity';
import { Image } from '../entities/image.entity';
import { License } from '../entities/license.entity';
import { Publication } from '../entities/publication.entity';
import { TranslationRequest } from '../entities/translation-request.entity';
import { rowMapping } from './row-mapping';

/**
 * Lists leave the body out, the one large column: the single-article statements select it, and a
 * list asking for it loads it on demand.
 */
export const articleRows = rowMapping(Article, { leaveOut: ['body'] });
export const articleWithBodyRows = rowMapping(Article);
export const authorRows = rowMapping(Author);
export const licenseRows = rowMapping(License);
export const imageRows = rowMapping(Image);
export const publicationRows = rowMapping(Publication);
export const translationRequestRows = rowMapping(TranslationRequest);
