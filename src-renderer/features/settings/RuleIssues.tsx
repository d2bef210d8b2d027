// Why a rule list was refused, rule by rule ("Rule 3 · Value: not a valid regular
// expression"), so the user can find the line to fix.
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../src-main/contract/index.js';
import { errorText, issueText } from '../../components/errors.js';
import { fieldLabel } from './ConditionEditor.js';

export function RuleIssues({ error, intro }: { error: unknown; intro: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiError) || !error.issues?.length)
    return (
      <p role="alert" className="error">
        {errorText(error)}
      </p>
    );
  const where = (path: string) => {
    const parts = path.split('.');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p === 'rules' && /^\d+$/.test(parts[i + 1] ?? '')) {
        out.push(t('rules.issueAt', { n: Number(parts[i + 1]) + 1 }));
        i++;
      } else if (/^\d+$/.test(p) || p === 'conditions' || p === 'bant' || p === 'engagement') {
        continue;
      } else {
        out.push(t(`rules.${p}`, { defaultValue: fieldLabel(p, t) }));
      }
    }
    return out.join(' · ');
  };
  return (
    <div role="alert" className="error rule-issues">
      <p>{intro}</p>
      <ul>
        {error.issues.map((issue, i) => (
          <li key={i}>
            {t('rules.issueLine', { where: where(issue.path), what: issueText(issue) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
