export * from './identity.js';
export * from './platform.js';
export * from './collaboration.js';
