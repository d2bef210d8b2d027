import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  memberRoles,
  parseJoinLink,
  type MemberRole,
  type TeamDevice,
  type TeamInvite,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useUsers } from '../../api/queries.js';
import { errorText } from '../../components/errors.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { LinkQr } from '../../components/LinkQr.js';

/** An admin's side of a team: invite a person (a link and QR code that work once, for a
 * day) and see every device, removing one that was lost or belongs to someone who left. */
export function TeamAdmin({ peerId }: { peerId: string }) {
  return (
    <>
      <InviteForm id={peerId} make={(input) => api.call('sync.invite', { ...input, peerId })} />
      <DeviceList
        queryKey={['sync.devices', peerId]}
        list={() => api.call('sync.devices', { peerId })}
        revoke={(deviceId) => api.call('sync.revoke', { deviceId, peerId })}
      />
    </>
  );
}

type InviteInput = { name: string; role: MemberRole; userId?: string };

export function InviteForm({
  id,
  make,
}: {
  id: string;
  make: (input: InviteInput) => Promise<TeamInvite>;
}) {
  const { t, i18n } = useTranslation();
  const users = useUsers();
  const [userId, setUserId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<MemberRole>('rep');
  const [made, setMade] = useState<TeamInvite | null>(null);
  const invite = useMutation({
    mutationFn: () => {
      const existing = users.data?.find((u) => u.id === userId);
      return make({
        name: existing?.name ?? name,
        role,
        ...(existing ? { userId: existing.id } : {}),
      });
    },
    onSuccess: setMade,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  return (
    <section className="team-invite" aria-labelledby={`invite-${id}`}>
      <h3 id={`invite-${id}`}>{t('sync.invite.title')}</h3>
      <p className="muted">{t('sync.invite.intro')}</p>
      <form className="grid narrow" onSubmit={submit}>
        <label className="field">
          <span>{t('sync.invite.person')}</span>
          <select value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">{t('sync.invite.newPerson')}</option>
            {users.data
              ?.filter((u) => u.active !== 0)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
        {!userId && (
          <label className="field">
            <span>{t('sync.invite.name')}</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={120}
            />
          </label>
        )}
        <label className="field">
          <span>{t('sync.invite.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as MemberRole)}>
            {memberRoles.map((r) => (
              <option key={r} value={r}>
                {t(`team.roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="row wide">
          <button type="submit" className="primary" disabled={invite.isPending}>
            {t('sync.invite.submit')}
          </button>
          {invite.error && (
            <span role="alert" className="error">
              {errorText(invite.error)}
            </span>
          )}
        </div>
      </form>
      {made && (
        <InviteResult invite={made} expires={formatDateTime(made.expiresAt, i18n.language)} />
      )}
    </section>
  );
}

function InviteResult({ invite, expires }: { invite: TeamInvite; expires: string }) {
  const { t } = useTranslation();
  const server = parseJoinLink(invite.link)?.server ?? '';
  // A link naming this computer itself is useless to everyone else's laptop.
  const loopback = /^https?:\/\/(127\.|localhost|\[::1\])/i.test(server);
  return (
    <div className="invite-result panel" data-testid="invite-result">
      {loopback && <p className="notice">{t('sync.invite.loopback', { server })}</p>}
      <p>
        {t('sync.invite.made', {
          name: invite.name,
          role: t(`team.roles.${invite.role}`),
          expires,
        })}
      </p>
      <LinkQr link={invite.link} label={t('sync.invite.link')} qrLabel={t('sync.invite.qr')} />
      <p className="muted">{t('sync.invite.once')}</p>
    </div>
  );
}

export function DeviceList({
  queryKey: key,
  list,
  revoke: revokeDevice,
}: {
  queryKey: string[];
  list: () => Promise<TeamDevice[]>;
  revoke: (deviceId: string) => Promise<TeamDevice[]>;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const devices = useQuery({
    queryKey: key,
    queryFn: list,
    // Devices join, sync and go quiet on their own: the list is read again when shown and
    // while it stays open.
    refetchOnMount: 'always',
    refetchInterval: 10_000,
  });
  // Removing a device is asked twice, in place (the second click names the person).
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: revokeDevice,
    onSuccess: (list) => {
      setConfirming(null);
      queryClient.setQueryData(key, list);
    },
  });
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <section aria-labelledby={`devices-${key.join('-')}`}>
      <h3 id={`devices-${key.join('-')}`}>{t('sync.devices.title')}</h3>
      {devices.error && (
        <p role="alert" className="error">
          {errorText(devices.error)}
        </p>
      )}
      {devices.data && (
        <table className="devices" data-testid="device-list">
          <thead>
            <tr>
              <th>{t('sync.devices.person')}</th>
              <th>{t('sync.devices.device')}</th>
              <th>{t('sync.devices.version')}</th>
              <th>{t('sync.devices.lastSeen')}</th>
              <th className="num">{t('sync.devices.waiting')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.data.map((d) => (
              <tr key={d.id} className={d.revokedAt ? 'revoked' : ''}>
                <td>
                  {d.member} <span className="muted">({t(`team.roles.${d.role}`, d.role)})</span>
                </td>
                <td>{d.label ?? '—'}</td>
                <td>{d.appVersion ?? '—'}</td>
                <td>
                  {d.lastSeenAt ? formatDateTime(d.lastSeenAt, i18n.language) : t('sync.never')}
                </td>
                <td className="num">{d.waiting === null ? '—' : n(d.waiting)}</td>
                <td>
                  {d.revokedAt ? (
                    <span className="muted">{t('sync.devices.revoked')}</span>
                  ) : confirming === d.id ? (
                    <span className="row">
                      <button
                        type="button"
                        className="danger"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(d.id)}
                      >
                        {t('sync.devices.confirm', { name: d.member })}
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        {t('sync.devices.cancel')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="danger" onClick={() => setConfirming(d.id)}>
                      {t('sync.devices.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.error && (
        <p role="alert" className="error">
          {errorText(revoke.error)}
        </p>
      )}
    </section>
  );
}
