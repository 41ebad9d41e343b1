import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/graphql/global-id';
import { Node } from './node.interface';

@ObjectType({
  implements: Node,
  description: 'A license that content or images are under. Unknown facts stay null rather than guessed.',
})
@Entity('license')
export class License implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('License', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 100, unique: true })
  key: string;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Field()
  @Column({ name: 'short_name', type: 'varchar', length: 100 })
  shortName: string;

  @Field(() => String, { nullable: true, description: 'The license text; null where the source names no version.' })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ name: 'attribution_required', type: Boolean, nullable: true })
  attributionRequired: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ name: 'commercial_use_allowed', type: Boolean, nullable: true })
  commercialUseAllowed: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ name: 'derivatives_allowed', type: Boolean, nullable: true })
  derivativesAllowed: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ name: 'share_alike', type: Boolean, nullable: true })
  shareAlike: boolean | null;

  @Column({ type: Boolean, default: false })
  synthetic: boolean;
}
