export * from './capacity.service';
export * from './monitoring.module';
export * from './notifications.service';
