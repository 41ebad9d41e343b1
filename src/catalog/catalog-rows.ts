import { Image } from '../../entities/image.entity';
import { License } from '../../entities/license.entity';
import { Publication } from '../../entities/publication.entity';
import { rowMapping } from '../db/row-mapping';

export const licenseRows = rowMapping(License);
export const imageRows = rowMapping(Image);
export const publicationRows = rowMapping(Publication);
