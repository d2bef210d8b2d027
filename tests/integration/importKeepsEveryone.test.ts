// Issue 19: real exports keep every person. Each fixture carries a trait of a real file
// that cost rows before: HubSpot's literal `null`, Odoo's technical headers and several
// numbers in one phone cell, Salesforce ids and `#N/A` with four people sharing one
// inbox, phone forms of RFC 6350 and of 2.1/3.0 pager/SIP/pause cards, a Chinese
// directory with two mobiles in a cell and trailing tabs, Thunderbird's zh-CN headers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadFields, type LeadRow } from '../../src-main/contract/index.js';
import { importLeads, type ImportOptions } from '../../src-main/services/importLeads.js';
import { findDuplicates } from '../../src-main/services/duplicates.js';
import { dismissDuplicates, duplicateGroups } from '../../src-main/services/leadMerge.js';
import { createRecord, listRecords } from '../../src-main/services/records.js';
import { searchAll } from '../../src-main/services/search.js';
import type { Store } from '../../src-main/store/store.js';
import { memoryStore } from '../helpers/store.js';

const fixture = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'import', name));
const opts = (fileName: string, over: Partial<ImportOptions> = {}): ImportOptions => ({
  fileName,
  onDuplicate: 'merge',
  allOrNothing: false,
  dryRun: false,
  ...over,
});
const leads = (store: Store) =>
  listRecords(store, 'leads', { limit: 1000, offset: 0, deleted: 'exclude', withTotal: false })
    .rows as LeadRow[];
const byName = (store: Store) => new Map(leads(store).map((l) => [l.name, l]));
const list = (json: string | null) => (json ? (JSON.parse(json) as string[]) : []);
/** No stored value of any lead is an empty marker. */
function noMarkerStored(store: Store) {
  for (const lead of leads(store))
    for (const [field, value] of Object.entries(lead))
      if (typeof value === 'string')
        expect(
          /^(null|#n\/a|n\/a|\(blank\)|无|不详)$/i.test(value.trim()),
          `${field}: ${value}`,
        ).toBe(false);
}

describe('import keeps every person', () => {
  it('a history: won and lost by an outcome column or a stage, open ones left open', async () => {
    const store = await memoryStore();
    const csv = [
      'id,contact_name,partner_name,stage_id,probability,lost_reason_id',
      '1,Ann Won,Acme,Won,100,',
      '2,Bo Lost,Beta,Lost,0,Too expensive',
      '3,Cy Open,Gamma,Proposition,40,',
      '4,Di Won,Delta,Won,,',
    ].join('\n');
    const r = await importLeads(store, Buffer.from(csv), opts('odoo.csv'));
    expect(r.outcomes).toEqual({ won: 2, lost: 1 });
    const all = byName(store);
    expect(all.get('Ann Won')?.status).toBe('converted');
    expect([all.get('Bo Lost')?.status, all.get('Bo Lost')?.disqualify_reason]).toEqual([
      'unqualified',
      'Too expensive',
    ]);
    expect(all.get('Cy Open')?.status).toBe('new');
    // No probability: the stage says won.
    expect(all.get('Di Won')?.status).toBe('converted');
  });

  it('HubSpot: `null` cells are empty, a duplicate Email column becomes another email, the Record ID is kept', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('hubspot-null.csv'), opts('hubspot.csv'));
    expect([r.created, r.rejected.length]).toEqual([5, 0]);
    expect(r.mapping.map((m) => m.target)).toEqual([
      'source_record_id',
      'given_name',
      'family_name',
      'email',
      'phone',
      'mobile',
      'company',
      'title',
      'status',
      'owner_id',
      'custom', // dates nobody knows: a custom field rather than the notes
      'other_emails',
    ]);
    expect(r.unrecognized).toEqual(['Create Date']);
    expect(r.customFields).toEqual([
      {
        header: 'Create Date',
        key: 'create_date',
        label: 'Create Date',
        type: 'date',
        isNew: true,
      },
    ]);
    expect(r.emptyMarkers).toContainEqual({ marker: 'null', count: expect.any(Number) });
    expect(r.emptyMarkers).toContainEqual({ marker: 'NULL', count: 1 });
    noMarkerStored(store);
    const all = byName(store);
    const anna = all.get('Anna Müller')!;
    expect([anna.phone, anna.mobile, anna.source_record_id, anna.source_system]).toEqual([
      null,
      '+49 171 2345678',
      '5101',
      'record id',
    ]);
    // Only an email: the email names the lead.
    expect(all.get('noname@shop-example.com')?.email).toBe('noname@shop-example.com');
    const brian = all.get('Brian')!;
    expect([brian.family_name, brian.email, list(brian.other_emails)]).toEqual([
      null,
      'brian@acme-example.com',
      ['brian.o@acme-example.com'],
    ]);
    // An owner who is not on this team is kept in the notes, with a warning.
    expect(brian.notes).toBe('Contact owner: Zhang Wei');
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ row: 4, column: 'Contact owner', kind: 'owner' }),
    );
    // Chen Jie: NULL email, a mobile only.
    expect(all.get('Chen Jie')?.mobile).toBe('13912345678');
  });

  it('Odoo: technical headers, several numbers in a cell, words in a phone cell, rows with a company only', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('odoo-crm-lead.csv'), opts('crm.lead.csv'));
    expect([r.created, r.rejected.length]).toEqual([6, 0]);
    expect(r.mapping.map((m) => [m.header, m.target])).toEqual([
      ['id', 'source_record_id'],
      ['name', 'note'], // the opportunity's title: contact_name is the person
      ['contact_name', 'name'],
      ['partner_name', 'company'],
      ['email_from', 'email'],
      ['phone', 'phone'],
      ['mobile', 'mobile'],
      ['function', 'title'],
      ['stage_id', 'status'],
      ['user_id', 'owner_id'],
      ['description', 'notes'],
    ]);
    const all = byName(store);
    const maria = all.get('Maria Gomez')!;
    expect([maria.company, maria.email, maria.title]).toEqual([
      'Desert Sun Realty',
      'maria@desertsun-example.com',
      'Broker',
    ]);
    // Two numbers in one cell: the first is the phone, the second another phone.
    expect([maria.phone, list(maria.other_phones)]).toEqual(['702-544-7834', ['818-257-2525']]);
    const tom = all.get('Tom Baker')!;
    expect([tom.phone, list(tom.other_phones)]).toEqual(['702-509-0990', ['702-509-0808']]);
    // With their + the numbers are dialable: the first is the phone.
    const omar = all.get('Omar Haddad')!;
    expect([omar.phone, list(omar.other_phones)]).toEqual([
      '+1 (702) 555-0199',
      ['+1 (702) 555-0142'],
    ]);
    const kim = all.get('Kim Lee')!;
    expect([kim.phone, kim.notes]).toEqual([
      null,
      'name: Social ads\nphone: 4Tech-gt - on facebook',
    ]);
    expect(r.warnings).toContainEqual(
      expect.objectContaining({
        row: 4,
        column: 'phone',
        value: '4Tech-gt - on facebook',
        kind: 'phone',
      }),
    );
    // A company and an opportunity title, no person: the company names the lead.
    expect(all.get('Vega Interiors')?.notes).toBe('Met at the fair\nname: Office furniture');
    expect(all.get('Northwind Traders')?.source_record_id).toBe('__export__.crm_lead_16');
  });

  it('Salesforce: four people sharing an inbox and two John Smiths are never merged — they are possible duplicates', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('salesforce-ids.csv'), opts('leads.csv'));
    expect([r.created, r.merged, r.rejected.length]).toEqual([7, 0, 0]);
    expect(r.possibleDuplicates).toBe(4);
    expect(
      r.duplicates.map((d) => [
        d.row,
        'row' in d.of ? d.of.row : null,
        d.kind,
        d.reasons,
        d.differs,
      ]),
    ).toEqual([
      [3, 2, 'possible', ['email'], ['name']],
      [4, 2, 'possible', ['email'], ['name']],
      [5, 2, 'possible', ['email'], ['name']],
      [7, 6, 'possible', ['name_company'], ['email', 'phone']],
    ]);
    noMarkerStored(store);
    // Every one of them is on the Duplicates page, to merge or dismiss.
    const groups = store.read((rd) => duplicateGroups(rd, 50));
    expect(groups.map((g) => g.leads.map((l) => l.name).sort())).toEqual(
      expect.arrayContaining([
        ['Ann Lee', 'Bob Stone', 'Cara Diaz', 'Dev Patel'],
        ['John Smith', 'John Smith'],
      ]),
    );
    const smiths = groups.find((g) => g.leads[0]!.name === 'John Smith')!;
    expect(smiths.differs).toEqual(['email', 'phone']);
    // "Different people" needs two different leads; one alone is refused, nothing written.
    const before = store.changesSince(null).length;
    expect(() => dismissDuplicates(store, [smiths.leads[0]!.id, smiths.leads[0]!.id])).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    expect(store.changesSince(null)).toHaveLength(before);
    // Dismissed: the pair is not offered again.
    dismissDuplicates(
      store,
      smiths.leads.map((l) => l.id),
    );
    expect(
      store.read((rd) => duplicateGroups(rd, 50)).some((g) => g.leads[0]!.name === 'John Smith'),
    ).toBe(false);
    // Nor does the open lead's panel warn of the other any more.
    const [first, second] = smiths.leads;
    const warned = store.read((rd) =>
      findDuplicates(rd, { ...first!, exclude_id: first!.id } as never),
    );
    expect(warned.map((w) => w.id)).not.toContain(second!.id);
    // … and it travels with sync: the dismissal is a change like any other.
    expect(store.changesSince(null).some((c) => c.table === 'duplicate_dismissals')).toBe(true);

    // The same export again: nothing new, every row updated through its record id.
    const again = await importLeads(store, fixture('salesforce-ids.csv'), opts('leads (1).csv'));
    expect([again.created, again.updated, again.merged, again.possibleDuplicates]).toEqual([
      0, 7, 0, 0,
    ]);
    expect(leads(store)).toHaveLength(7);
  });

  it('a newer export updates its leads: empty fields filled, changed values reported', async () => {
    const store = await memoryStore();
    await importLeads(store, fixture('salesforce-ids.csv'), opts('leads.csv'));
    const newer = [
      'Id,FirstName,LastName,Company,Email,Phone,Title',
      '00Q5g07,Eve,Moss,Hooli,eve.moss@hooli-example.com,+1 650 555 0111,CFO',
      '00Q5g05,John,Smith,Umbrella Corp,john.smith@umbrella-example.com,+1 312 555 0170,',
    ].join('\n');
    const r = await importLeads(store, Buffer.from(newer), opts('leads-newer.csv'));
    expect([r.created, r.updated]).toEqual([0, 2]);
    expect(r.duplicates.map((d) => d.action)).toEqual(['updated', 'updated']);
    const eve = byName(store).get('Eve Moss')!;
    expect([eve.phone, eve.title]).toEqual(['+1 650 555 0111', 'CFO']);
    expect(r.conflicts).toEqual([
      { row: 3, field: 'company', kept: 'Umbrella', offered: 'Umbrella Corp' },
    ]);
  });

  it('vCards: tel: URIs with ext, pager, SIP, pause/wait, a short internal number, a nickname or an IM address only', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('phones.vcf'), opts('phones.vcf'));
    expect([r.created, r.rejected.length]).toEqual([6, 0]);
    const all = byName(store);
    const simon = all.get('Simon Perreault')!;
    expect([simon.phone, simon.mobile]).toEqual(['+1-418-656-9254 x102', '+1-418-262-6501']);
    const paul = all.get('Paul Pager')!;
    expect([paul.phone, list(paul.other_phones), paul.email, list(paul.other_emails)]).toEqual([
      '+1 (212) 555-0123 x45',
      ['555-0199'],
      'paul@pager-example.com',
      ['paul.p@home-example.com'],
    ]);
    const sally = all.get('Sally Sip')!;
    expect([sally.mobile, sally.phone, list(sally.other_phones)]).toEqual([
      '+44 7700 900123 x22',
      '+44 20 7946 0958 x3',
      ['9', 'sip:sally@voip-example.com'],
    ]);
    expect(all.get('Skipper')?.phone).toBe('13800138111');
    expect(all.get('lonely@jabber-example.org')?.notes).toBe('IM: xmpp:lonely@jabber-example.org');
    const liu = all.get('刘洋')!;
    expect([liu.phone, liu.mobile, list(liu.other_phones)]).toEqual([
      '+86 139 0013 9333',
      '138 0013 8222',
      ['8021'],
    ]);
    // Every number is searchable and finds its lead.
    const hits = store.read((rd) => searchAll(rd, '13900139333', 10));
    expect(hits.map((h) => h.title)).toContain('刘洋');
  });

  it('a Chinese directory: two mobiles in a cell, an extension, trailing tabs, 无 and 不详', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('zh-directory.tsv'), opts('通讯录.txt'));
    expect([r.created, r.rejected.length, r.warnings]).toEqual([4, 0, []]);
    const all = byName(store);
    const wang = all.get('王芳')!;
    expect([wang.mobile, wang.phone, list(wang.other_phones)]).toEqual([
      '13800138000',
      '010-62345678 x123',
      ['13900139000'],
    ]);
    expect(list(all.get('赵敏')!.other_phones)).toEqual(['13500135000']);
    expect([all.get('赵敏')!.email, all.get('赵敏')!.notes]).toEqual([null, '部门: 市场部']);
    noMarkerStored(store);
  });

  it('Thunderbird zh-CN: the email columns are emails, a display name with an email is a lead', async () => {
    const store = await memoryStore();
    const r = await importLeads(store, fixture('thunderbird-zh.csv'), opts('通讯录.csv'));
    expect([r.created, r.rejected.length]).toEqual([2, 0]);
    const all = byName(store);
    const zhang = all.get('张伟')!;
    expect([
      zhang.email,
      list(zhang.other_emails),
      zhang.phone,
      zhang.mobile,
      zhang.company,
    ]).toEqual([
      'zhangwei@example.cn',
      ['zw@home-example.cn'],
      '010-88886666',
      '13811112222',
      '华星科技有限公司',
    ]);
    expect(all.get('Lucy Wang')?.email).toBe('lucy.wang@example.com');
  });

  it('a lead created by hand is matched by its other phones too', async () => {
    const store = await memoryStore();
    createRecord(
      store,
      'leads',
      leadFields.parse({ name: '周杰', phone: '13800138999', other_phones: ['13700137999'] }),
    );
    const csv = ['姓名,手机', '周杰,137 0013 7999'].join('\n');
    const r = await importLeads(store, Buffer.from(csv), opts('x.csv'));
    expect([r.created, r.merged]).toEqual([0, 1]);
  });
});
