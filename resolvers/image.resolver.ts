import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Image, ImageCredit } from '../entities/image.entity';
import { License } from '../entities/license.entity';
import type { Context } from '../src/context';
import { imageCredit } from '../src/services/image-credit';

@Resolver(() => Image)
export class ImageResolver {
  @FieldResolver(() => License, { nullable: true })
  license(@Root() image: Image, @Ctx() ctx: Context): Promise<License | null> | null {
    return image.licenseId == null ? null : ctx.loaders.licenseById.load(image.licenseId);
  }

  @FieldResolver(() => ImageCredit, { description: 'Built from title, creator, source and license; the HTML is escaped.' })
  async credit(@Root() image: Image, @Ctx() ctx: Context): Promise<ImageCredit> {
    const license = image.licenseId == null ? null : await ctx.loaders.licenseById.load(image.licenseId);
    return imageCredit(image, license);
  }
}
