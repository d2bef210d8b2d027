import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, parseFilePairLink, parseJoinLink } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { keepSyncStatus, useDevice } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { BadgeScanner } from '../capture/BadgeScanner.js';

/** "Join a team" (or a booth hub): paste the invite link, or scan its QR code with the
 * camera. The link carries the server's address, a one-time code and — for a hub — the
 * certificate fingerprint this laptop pins. */
export function JoinTeam({ hub = false }: { hub?: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  // An invite link that opened the app is shown here first, never joined by itself.
  const offered = useUi((s) => s.joinLink);
  const offerJoinLink = useUi((s) => s.offerJoinLink);
  const [link, setLink] = useState(() => (hub ? '' : (offered ?? '')));
  useEffect(() => {
    if (!hub && offered) {
      setLink(offered);
      offerJoinLink(null);
    }
  }, [hub, offered, offerJoinLink]);
  // Asked only when nobody was chosen as this laptop's user: an admin code names nobody.
  const needsName = !useDevice().data?.currentUserId;
  const [name, setName] = useState('');
  const [scanning, setScanning] = useState(false);
  const join = useMutation({
    mutationFn: (value: string) =>
      api.call('sync.join', { link: value, ...(needsName && name.trim() ? { name } : {}) }),
    onSuccess: (s) => {
      keepSyncStatus(queryClient, s);
      void queryClient.invalidateQueries();
      setLink('');
      showToast(t(hub ? 'sync.join.joinedHub' : 'sync.join.joined'));
    },
  });
  const onScan = useCallback(
    (text: string) => {
      setScanning(false);
      setLink(text);
      join.mutate(text);
    },
    [join],
  );
  const errors = fieldErrors(join.error);
  // Said before joining: everything on this laptop goes to the team behind the link.
  const target = parseJoinLink(link);
  const pairing = target ? null : parseFilePairLink(link);
  const problem =
    join.error instanceof ApiError && join.error.code === 'UNREACHABLE'
      ? t('sync.join.unreachable', { detail: join.error.message })
      : join.error && !errors.link
        ? errorText(join.error)
        : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.mutate(link);
  };
  const id = hub ? 'join-hub-link' : 'join-link';
  return (
    <form
      className="join-team"
      onSubmit={submit}
      aria-label={t(hub ? 'sync.join.hubTitle' : 'sync.join.title')}
    >
      <h3>{t(hub ? 'sync.join.hubTitle' : 'sync.join.title')}</h3>
      <p className="muted">{t(hub ? 'sync.join.hubIntro' : 'sync.join.intro')}</p>
      <label className="field wide" htmlFor={id}>
        <span>{t('sync.join.link')}</span>
        <textarea
          id={id}
          rows={2}
          value={link}
          spellCheck={false}
          placeholder="leadbook://join?server=…&code=…"
          aria-invalid={errors.link ? true : undefined}
          onChange={(e) => setLink(e.target.value)}
        />
        {errors.link && <small className="error">{t('sync.join.notALink')}</small>}
      </label>
      {target && (
        <p className="notice" data-testid="join-target">
          {t(target.fingerprint ? 'sync.join.sharesWithHub' : 'sync.join.sharesWith', {
            server: target.server,
          })}
        </p>
      )}
      {pairing && <p className="notice">{t('sync.join.pairsFiles', { team: pairing.name })}</p>}
      {needsName && (
        <label className="field">
          <span>{t('sync.join.yourName')}</span>
          <input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          <small className="muted">{t('sync.join.yourNameHint')}</small>
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={join.isPending || !link.trim()}>
          {join.isPending ? t('sync.connecting') : t('sync.join.submit')}
        </button>
        <button type="button" onClick={() => setScanning(true)} disabled={join.isPending}>
          {t('sync.join.scan')}
        </button>
        {problem && (
          <span role="alert" className="error">
            {problem}
          </span>
        )}
      </div>
      {scanning && <BadgeScanner onScan={onScan} onClose={() => setScanning(false)} />}
    </form>
  );
}
