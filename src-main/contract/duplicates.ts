// Why two records look like one person — shared by the live duplicate lookup (procedures)
// and the import report (imports), which both name the reasons.

/** The same record of the system both came from, the same email, the same phone (E.164),
 * the same name at the same company, or a name one letter apart (in pinyin for Chinese)
 * at the same company — a typo, 张三 / Zhang Shan, Jon / John. */
export const duplicateReasonKinds = [
  'source_record',
  'email',
  'phone',
  'name_company',
  'similar_name',
] as const;
export type DuplicateReason = (typeof duplicateReasonKinds)[number];
