import { Author } from '../../entities/author.entity';
import { rowMapping } from '../db/row-mapping';

export const authorRows = rowMapping(Author);
