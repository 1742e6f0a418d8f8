export * from './user';
export * from './session';
export * from './login-failure';
export * from './team';
export * from './membership';
export * from './coaching';
export * from './invitation';
