export * from './capacity.service';
export * from './monitoring.module';
