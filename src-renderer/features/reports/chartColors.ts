/** Series colours readable on the light and the dark theme alike (and in an exported PNG,
 * where CSS variables do not reach). */
export const chartColors = Object.assign(
  ['#3b82f6', '#8b5cf6', '#10b981', '#f59e0b', '#ef4444', '#06b6d4'],
  {
    grid: '#8884',
  },
);
