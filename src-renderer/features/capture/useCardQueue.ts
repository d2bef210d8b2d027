// The photos of business cards waiting to be read, one card in the form at a time: a card
// is read when the form is free (at once for the first, after each save for the next),
// and the rep checks and saves it as a typed lead. Stop drops the rest.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CardReading } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { readAsBase64 } from '../../components/fileBytes.js';

export interface CardQueue {
  /** Cards taken in this run, and how many of them have been read. */
  total: number;
  done: number;
  reading: boolean;
  /** A card is in the form (read, not yet saved or cleared). */
  inForm: boolean;
  /** The photo of the card in the form (its front), to keep with the lead it becomes. */
  photo: Blob | null;
  /** How sure each field of the card in the form is. */
  confidence: CardReading['confidence'];
  add(photos: Blob[]): void;
  /** The other side of the card in the form: its fields fill the ones still empty. */
  addBack(photo: Blob): void;
  /** The form is free again (saved or cleared): the next card comes in. */
  next(): void;
  stop(): void;
}

export function useCardQueue(
  onRead: (reading: CardReading) => void,
  onFailed: (err: unknown) => void,
): CardQueue {
  const waiting = useRef<Blob[]>([]);
  const [total, setTotal] = useState(0);
  const [done, setDone] = useState(0);
  const [reading, setReading] = useState(false);
  const [inForm, setInForm] = useState(false);
  const [confidence, setConfidence] = useState<CardReading['confidence']>({});
  // Bumped by every add: the queue may hold as many cards as before and still be new.
  const [added, setAdded] = useState(0);
  const [photo, setPhoto] = useState<Blob | null>(null);
  // Latest callbacks, for reads that finish after a re-render.
  const handlers = useRef({ onRead, onFailed });
  handlers.current = { onRead, onFailed };

  const read = useCallback((photo: Blob, side: 'front' | 'back') => {
    setReading(true);
    void readAsBase64(photo)
      .then((image) => api.call('leads.readCard', { image }))
      .then(
        (r) => {
          // A field keeps the confidence of the side that filled it.
          setConfidence((c) => (side === 'front' ? r.confidence : { ...r.confidence, ...c }));
          if (side === 'front') setPhoto(photo);
          setInForm(true);
          handlers.current.onRead(r);
        },
        (err: unknown) => handlers.current.onFailed(err),
      )
      .finally(() => {
        setReading(false);
        if (side === 'front') setDone((d) => d + 1);
      });
  }, []);
  const readNext = useCallback(() => {
    const photo = waiting.current.shift();
    if (photo) read(photo, 'front');
  }, [read]);

  // Start when photos wait and neither a read nor a card in the form holds the form.
  useEffect(() => {
    if (!reading && !inForm && waiting.current.length) readNext();
  }, [reading, inForm, added, readNext]);

  return {
    total,
    done,
    reading,
    inForm,
    photo,
    confidence,
    addBack: (photo) => read(photo, 'back'),
    add: (photos) => {
      if (!photos.length) return;
      // A new batch after the last one finished counts from zero.
      const fresh = !reading && waiting.current.length === 0;
      waiting.current.push(...photos);
      setTotal((t) => (fresh ? photos.length : t + photos.length));
      if (fresh) setDone(0);
      setAdded((n) => n + 1);
    },
    next: () => {
      setConfidence({});
      setPhoto(null);
      setInForm(false);
      // The last card of the batch is done with: the progress goes away.
      if (!reading && waiting.current.length === 0) {
        setTotal(0);
        setDone(0);
      }
    },
    stop: () => {
      waiting.current = [];
      setPhoto(null);
      setInForm(false);
      setConfidence({});
      setTotal(0);
      setDone(0);
    },
  };
}
