import { useEffect, useState } from 'react';

/** `value`, once it has stopped changing for `ms` (typing into a search or lookup). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}
