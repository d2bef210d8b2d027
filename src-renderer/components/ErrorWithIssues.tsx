// A refused save: the error's message, then each problem the API listed, described by
// the caller where it knows better ("Stage 2 · Probability: too high") than the path.
import { ApiError, type ApiIssue } from '../../src-main/contract/index.js';
import { errorText, issueText } from './errors.js';

export function ErrorWithIssues({
  error,
  describe = issueText,
}: {
  error: unknown;
  describe?: (issue: ApiIssue) => string;
}) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <p>{errorText(error)}</p>
      {error instanceof ApiError && error.issues && (
        <ul>
          {error.issues.map((issue, k) => (
            <li key={k}>{describe(issue)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
