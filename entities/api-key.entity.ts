import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ApiKeyRole } from './enums';

/** A credential for editors and integrators. Only the key's hash is stored; the key is shown once. */
@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  role: ApiKeyRole;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash: string;

  /** The key's first characters, so that people can tell their keys apart in a listing. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt: Date | null;
}
