import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Image, ImageCredit } from '../entities/image.entity';
import { License } from '../entities/license.entity';
import type { Context } from '../src/graphql/context';
import { imageCredit } from '../src/catalog/image-credit';

@Resolver(() => Image)
export class ImageResolver {
  @FieldResolver(() => License, { nullable: true })
  license(@Root() image: Image, @Ctx() ctx: Context): License | Promise<License | null> | null {
    return image.licenseId == null ? null : ctx.loaders.licenseById.get(image.licenseId);
  }

  @FieldResolver(() => ImageCredit, { description: 'Built from title, creator, source and license; the HTML is escaped.' })
  credit(@Root() image: Image, @Ctx() ctx: Context): ImageCredit | Promise<ImageCredit> {
    const license = image.licenseId == null ? null : ctx.loaders.licenseById.get(image.licenseId);
    return license instanceof Promise ? license.then((held) => imageCredit(image, held)) : imageCredit(image, license);
  }
}
