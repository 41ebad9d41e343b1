import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/graphql/global-id';
import { Node } from './node.interface';

@ObjectType({ implements: Node, description: 'A picture and the facts its credit line is built from.' })
@Entity('image')
export class Image implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Image', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 200, unique: true })
  key: string;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  creator: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'source_url', type: 'varchar', length: 2000, nullable: true })
  sourceUrl: string | null;

  @Column({ name: 'license_id', type: 'integer', nullable: true })
  licenseId: number | null;

  @Column({ type: Boolean, default: false })
  synthetic: boolean;
}

@ObjectType({ description: 'A credit line for an image, as plain text and as escaped HTML with links.' })
export class ImageCredit {
  @Field()
  text: string;

  @Field()
  html: string;
}
