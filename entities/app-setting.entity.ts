import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Values the gateway generates once per installation and every instance must share. */
@Entity('app_setting')
export class AppSetting {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
