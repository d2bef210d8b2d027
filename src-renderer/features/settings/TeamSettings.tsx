import { TeamConfigLock } from './TeamConfigLock.js';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { userRoles, type UserRole } from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useDevice, useUsers } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, fieldErrors } from '../../components/errors.js';
import { notificationsSupported } from '../../app/notifications.js';
import { UserSelect } from '../../components/pickers.js';
import { TextField } from '../../components/TextField.js';

/** Who uses this laptop (their name goes on every change made here and on captured leads),
 * and the team members owners are chosen from. */
export function DeviceAndTeam() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const users = useUsers();
  const device = useDevice();
  const [draft, setDraft] = useState({ name: '', email: '', role: 'rep' as UserRole });
  const [permission, setPermission] = useState(() =>
    notificationsSupported() ? Notification.permission : 'denied',
  );
  const setMe = useMutation({
    mutationFn: (id: string) => api.call('device.update', { currentUserId: id || null }),
    onSuccess: (d) => queryClient.setQueryData(['device'], d),
  });
  const addUser = useMutation({
    mutationFn: () => api.call('users.create', draft),
    onSuccess: (u) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      showToast(t('team.added', { name: u.name }));
      setDraft({ name: '', email: '', role: 'rep' });
    },
  });
  const errors = fieldErrors(addUser.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    addUser.mutate();
  };
  return (
    <>
      <h2>{t('team.device')}</h2>
      <div className="grid narrow">
        <label className="field">
          <span>{t('team.me')}</span>
          <UserSelect
            name="current-user"
            emptyLabel={t('form.none')}
            value={device.data?.currentUserId ?? ''}
            onChange={(v) => setMe.mutate(v)}
          />
          <small className="muted">{t('team.meHint')}</small>
        </label>
        <div className="field">
          <span>{t('team.notifications')}</span>
          {permission === 'granted' ? (
            <span>{t('team.notificationsOn')}</span>
          ) : (
            <button
              type="button"
              disabled={!notificationsSupported() || permission === 'denied'}
              onClick={() => void Notification.requestPermission().then(setPermission)}
            >
              {permission === 'denied'
                ? t('team.notificationsBlocked')
                : t('team.notificationsAsk')}
            </button>
          )}
        </div>
      </div>
      <h2>{t('team.members')}</h2>
      <ul className="list compact">
        {users.data?.map((u) => (
          <li key={u.id}>
            {u.name}
            <span className="muted">
              {' · '}
              {[t(`team.roles.${(u.role as UserRole | null) ?? 'rep'}`), u.email]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      {users.data?.length === 0 && <p className="muted">{t('team.empty')}</p>}
      <TeamConfigLock>
        <form className="grid narrow" noValidate onSubmit={submit} aria-label={t('team.add')}>
          <TextField
            label={`${t('team.name')} *`}
            name="user-name"
            value={draft.name}
            error={errors.name}
            onValue={(v) => setDraft({ ...draft, name: v })}
          />
          <TextField
            label={t('team.email')}
            name="user-email"
            value={draft.email}
            error={errors.email}
            onValue={(v) => setDraft({ ...draft, email: v })}
          />
          <label className="field">
            <span>{t('team.role')}</span>
            <select
              value={draft.role}
              onChange={(e) => setDraft({ ...draft, role: e.target.value as UserRole })}
            >
              {userRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`team.roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="row wide">
            <button type="submit" disabled={addUser.isPending}>
              {t('team.add')}
            </button>
            {addUser.error && !Object.keys(errors).length && (
              <span role="alert" className="error">
                {errorText(addUser.error)}
              </span>
            )}
          </div>
        </form>
      </TeamConfigLock>
    </>
  );
}
