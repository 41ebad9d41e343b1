import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/graphql/global-id';
import { Node } from './node.interface';

@ObjectType({ implements: Node, description: 'A person or organisation credited on articles.' })
@Entity('author')
export class Author implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Author', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 200, unique: true })
  slug: string;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  bio: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  affiliation: string | null;

  @Field({ description: 'True for rows made by the synthetic data generator, never for real content.' })
  @Column({ type: Boolean, default: false })
  synthetic: boolean;
}
