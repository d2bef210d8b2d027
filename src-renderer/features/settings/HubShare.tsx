import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubStatus } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { DeviceList, InviteForm } from './TeamAdmin.js';

/** "Share this laptop as the booth hub": at a booth without internet, this laptop serves
 * sync to the team's laptops over the local network (TLS, its own certificate); they join
 * by scanning a QR code here. */
export function HubShare() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['hub.status'], queryFn: () => api.call('hub.status', {}) });
  const [host, setHost] = useState('');
  const set = (s: HubStatus) => {
    queryClient.setQueryData(['hub.status'], s);
    void queryClient.invalidateQueries({ queryKey: ['sync.status'] });
  };
  const start = useMutation({
    mutationFn: () => api.call('hub.start', host ? { host } : {}),
    onSuccess: set,
  });
  const stop = useMutation({ mutationFn: () => api.call('hub.stop', {}), onSuccess: set });
  const s = status.data;
  if (!s) return null;
  return (
    <section className="hub-share panel" aria-labelledby="hub-title" data-testid="hub-share">
      <h3 id="hub-title">{t('hub.title')}</h3>
      <p className="muted">{t('hub.intro')}</p>
      {!s.on && (
        <>
          {s.addresses.length === 0 && <p className="notice">{t('hub.noNetwork')}</p>}
          {s.addresses.length > 1 && (
            <label className="field">
              <span>{t('hub.address')}</span>
              <select value={host} onChange={(e) => setHost(e.target.value)}>
                <option value="">{s.addresses[0]}</option>
                {s.addresses.slice(1).map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={start.isPending || s.addresses.length === 0}
              onClick={() => start.mutate()}
            >
              {t('hub.start')}
            </button>
            {(start.error || s.problem) && (
              <span role="alert" className="error">
                {start.error ? errorText(start.error) : s.problem}
              </span>
            )}
          </div>
        </>
      )}
      {s.on && (
        <>
          <dl className="sync-facts">
            <dt>{t('hub.url')}</dt>
            <dd>
              <code>{s.url}</code>
            </dd>
            <dt>{t('hub.fingerprint')}</dt>
            <dd>
              <code title={s.fingerprint ?? ''}>
                {s.fingerprint
                  ?.match(/.{1,4}/g)
                  ?.slice(0, 8)
                  .join(' ')}
                …
              </code>
            </dd>
          </dl>
          <p className="muted">{t('hub.onHint')}</p>
          <div className="row">
            <button type="button" disabled={stop.isPending} onClick={() => stop.mutate()}>
              {t('hub.stop')}
            </button>
          </div>
          <InviteForm id="hub" make={(input) => api.call('hub.invite', input)} />
          <DeviceList
            queryKey={['hub.devices']}
            list={() => api.call('hub.devices', {})}
            revoke={(deviceId) => api.call('hub.revoke', { deviceId })}
          />
        </>
      )}
    </section>
  );
}
