// The shape every catalogue has: exactly the keys of the zh-CN one (the reference), each
// a string. Declared here, below both catalogues and the i18next setup, so en.ts can be
// held to it without importing the module that imports en.ts.
import type { zhCN } from './zh-CN.js';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Catalogue = Strings<typeof zhCN>;
