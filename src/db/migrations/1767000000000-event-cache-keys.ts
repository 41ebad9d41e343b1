import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Each event names the cache keys it makes stale (see cache-tags.ts), for receivers that purge a CDN. */
export class EventCacheKeys1767000000000 implements MigrationInterface {
  name = 'EventCacheKeys1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('event', new TableColumn({ name: 'cache_keys', type: 'varchar', length: '2000', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('event', 'cache_keys');
  }
}
