export * from './enums.js';
export * from './fields.js';
export * from './entities.js';
export * from './settings.js';
export * from './errors.js';
export * from './imports.js';
export * from './scoring.js';
export * from './procedures.js';
