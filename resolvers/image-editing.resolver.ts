import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { ApiKeyRole } from '../entities/enums';
import { Image } from '../entities/image.entity';
import type { Context } from '../src/graphql/context';

@InputType({ description: 'An image articles can use as their hero image; attach it with updateArticle(heroImageId).' })
export class CreateImageInput {
  @Field({ description: 'Lowercase letters and digits separated by single hyphens; unique among images.' })
  key: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  creator?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the image comes from: an http(s) URL.' })
  sourceUrl?: string | null;

  @Field(() => String, { nullable: true })
  licenseKey?: string | null;
}

@InputType({ description: 'Fields to change; fields left out stay as they are, and null clears an optional one.' })
export class UpdateImageInput {
  @Field(() => String, { nullable: true })
  key?: string;

  @Field(() => String, { nullable: true })
  title?: string;

  @Field(() => String, { nullable: true })
  creator?: string | null;

  @Field(() => String, { nullable: true })
  sourceUrl?: string | null;

  @Field(() => String, { nullable: true })
  licenseKey?: string | null;
}

@Resolver()
export class ImageEditingResolver {
  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Image)
  createImage(@Arg('input') input: CreateImageInput, @Ctx() ctx: Context): Promise<Image> {
    return ctx.imageEditor.create(input);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Image)
  updateImage(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateImageInput, @Ctx() ctx: Context): Promise<Image> {
    return ctx.imageEditor.update(id, input);
  }
}
