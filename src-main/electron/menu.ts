// Native menu. Standard items use Electron roles (the OS localises them); our own items
// carry zh-CN and en labels here because the menu exists before any page loads.
import type { MenuItemConstructorOptions } from 'electron';

const labels = {
  'zh-CN': {
    file: '文件',
    newLead: '快速录入线索',
    quickSearch: '搜索',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    help: '帮助',
  },
  en: {
    file: 'File',
    newLead: 'Quick capture',
    quickSearch: 'Search',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
  },
} as const;

export function menuLocale(osLocale: string): keyof typeof labels {
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function menuTemplate(
  osLocale: string,
  isMac: boolean,
  sendCommand: (command: 'new-lead' | 'search') => void,
): MenuItemConstructorOptions[] {
  const l = labels[menuLocale(osLocale)];
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: l.file,
      submenu: [
        { label: l.newLead, accelerator: 'CmdOrCtrl+N', click: () => sendCommand('new-lead') },
        { label: l.quickSearch, accelerator: 'CmdOrCtrl+K', click: () => sendCommand('search') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: l.edit, role: 'editMenu' },
    {
      label: l.view,
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: l.window, role: 'windowMenu' },
  ];
}
