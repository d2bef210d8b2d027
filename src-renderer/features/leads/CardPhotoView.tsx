// The lead panel's business card: the photo the lead was read from, when this laptop has
// it. Click to see it at full size.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';

export function CardPhotoView({ leadId, name }: { leadId: string; name: string }) {
  const { t } = useTranslation();
  const [large, setLarge] = useState(false);
  const photo = useQuery({
    queryKey: ['leads', leadId, 'cardPhoto'],
    queryFn: () => api.call('leads.cardPhoto', { id: leadId }),
  });
  if (!photo.data) return null;
  return (
    <section className="detail-section" aria-label={t('card.photo')}>
      <h3>{t('card.photo')}</h3>
      <button
        type="button"
        className={large ? 'card-photo large' : 'card-photo'}
        aria-pressed={large}
        onClick={() => setLarge((l) => !l)}
      >
        <img
          src={`data:${photo.data.mime};base64,${photo.data.image}`}
          alt={t('card.photoAlt', { name })}
          width={photo.data.width}
          height={photo.data.height}
        />
      </button>
      <p className="muted small">{t('card.photoHint')}</p>
    </section>
  );
}
