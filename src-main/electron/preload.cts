// Preload (sandboxed, CommonJS): exposes exactly two functions to the page — call and
// onEvent — never ipcRenderer itself.
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const { contextBridge, ipcRenderer } = electron;

const CALL_CHANNEL = 'leadbook:call';
const EVENT_CHANNEL = 'leadbook:event';

const bridge = {
  call: (name: string, input: unknown): Promise<unknown> =>
    ipcRenderer.invoke(CALL_CHANNEL, name, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('leadbookBridge', bridge);
