import { openLeadbook } from '../../src-main/api/bootstrap.js';
import { createInProcessClient } from '../../src-main/api/router.js';

export async function memoryApi() {
  const server = await openLeadbook(':memory:');
  return { server, api: createInProcessClient(server) };
}
