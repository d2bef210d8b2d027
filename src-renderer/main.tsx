import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client.js';
import { keepSyncStatus } from './api/queries.js';
import { App } from './app/App.js';
import './i18n/index.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 10_000, retry: 1, refetchOnWindowFocus: false } },
});

// The API's change events keep every view fresh, whichever window or device wrote.
api.onEvent((event) => {
  if (event.type === 'changed') {
    for (const table of event.tables) void queryClient.invalidateQueries({ queryKey: [table] });
    void queryClient.invalidateQueries({ queryKey: ['app.status'] });
  }
  // Team sync pushes its status: the frame's badge and Settings › Team sync follow it.
  if (event.type === 'sync') keepSyncStatus(queryClient, event.status);
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
