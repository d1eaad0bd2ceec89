export * from './identity.js';
export * from './platform.js';
export * from './collaboration.js';
export * from './analytics.js';
export * from './plans.js';
export * from './audit.js';
export * from './coach.js';
