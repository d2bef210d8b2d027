// IPC wiring: one channel for calls, one for change events. Calls from anything but the
// app's own page in its own window are refused before they reach the API.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { errorShape } from '../api/errors.js';
import type { ApiServer } from '../api/router.js';
import type { ApiErrorShape, AppEvent } from '../contract/index.js';

export const CALL_CHANNEL = 'leadbook:call';
export const EVENT_CHANNEL = 'leadbook:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  api: Pick<ApiServer, 'dispatch' | 'onEvent'>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  broadcast: (channel: string, event: AppEvent) => void,
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, input: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'call from an untrusted frame' } };
    }
    try {
      return { ok: true, result: (await api.dispatch(String(name), input)) ?? null };
    } catch (err) {
      // Structured errors travel as values: Electron flattens thrown errors to strings.
      return { ok: false, error: errorShape(err) };
    }
  });
  const off = api.onEvent((e) => broadcast(EVENT_CHANNEL, e));
  return () => {
    off();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
